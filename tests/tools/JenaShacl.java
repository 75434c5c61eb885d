// Validate several data files against one shapes file with Apache Jena's SHACL engine, in one JVM.
//   java -cp <jena classpath> tests/tools/JenaShacl.java SHAPES.ttl DATA.ttl ...
// Prints one line per validation result: file, focus node, source shape, value (N-Triples forms, "-"
// when absent), tab-separated. A data file Jena cannot read prints "file\tERROR\tmessage".
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

    public static void main(String[] args) {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            Graph data;
            try {
                data = RDFDataMgr.loadGraph(args[i]);
            } catch (RuntimeException e) {
                out.append(args[i]).append("\tERROR\t").append(String.valueOf(e.getMessage()).replace('\n', ' ')).append('\n');
                continue;
            }
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            for (ReportEntry e : report.getEntries()) {
                out.append(args[i]).append('\t').append(nt(e.focusNode())).append('\t').append(nt(e.source()))
                   .append('\t').append(nt(e.value())).append('\n');
            }
        }
        System.out.print(out);
    }
}
