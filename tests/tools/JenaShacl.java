// Validate several data files against one shapes file with Apache Jena's SHACL engine, in one JVM.
//   java -cp <jena classpath> tests/tools/JenaShacl.java SHAPES.ttl DATA.ttl ...
//   java -cp <jena classpath> tests/tools/JenaShacl.java --pairs KEY SHAPES.ttl DATA.ttl [KEY SHAPES DATA ...]
// Prints one line per validation result: file (or KEY), focus node, source shape, value (N-Triples
// forms, "-" when absent), constraint component, severity, tab-separated. A data file Jena cannot
// read prints "file\tERROR\tmessage"; with --pairs, shapes or data Jena refuses (or a validation that
// throws) print "KEY\tFAILURE\tmessage", and a run with no results "KEY\tCONFORMS".
// Used by tests/test_shacl_crosscheck.py to compare sst-vocab's engine with a second, independent one.
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;

public class JenaShacl {
    static String nt(Node n) {
        return n == null ? "-" : (n.isBlank() ? "_:b" : NodeFmtLib.strNT(n));
    }

    static void entries(StringBuilder out, String key, ValidationReport report) {
        for (ReportEntry e : report.getEntries()) {
            out.append(key).append('\t').append(nt(e.focusNode())).append('\t').append(nt(e.source()))
               .append('\t').append(nt(e.value())).append('\t').append(nt(e.sourceConstraintComponent()))
               .append('\t').append(e.severity() == null ? "-" : nt(e.severity().level())).append('\n');
        }
    }

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        if (args.length > 0 && args[0].equals("--pairs")) {
            for (int i = 1; i + 2 < args.length; i += 3) {
                String key = args[i];
                try {
                    Shapes s = Shapes.parse(RDFDataMgr.loadGraph(args[i + 1]));
                    ValidationReport report = ShaclValidator.get().validate(s, RDFDataMgr.loadGraph(args[i + 2]));
                    if (report.conforms()) {
                        out.append(key).append("\tCONFORMS\n");
                    }
                    entries(out, key, report);
                } catch (RuntimeException e) {
                    out.append(key).append("\tFAILURE\t").append(String.valueOf(e.getMessage()).replace('\n', ' ')).append('\n');
                }
            }
            System.out.print(out);
            return;
        }
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data;
            try {
                data = RDFDataMgr.loadGraph(args[i]);
            } catch (RuntimeException e) {
                out.append(args[i]).append("\tERROR\t").append(String.valueOf(e.getMessage()).replace('\n', ' ')).append('\n');
                continue;
            }
            entries(out, args[i], ShaclValidator.get().validate(shapes, data));
        }
        System.out.print(out);
    }
}
