#!/usr/bin/env bash
# Run an Apache Jena command-line class from Debian's libapache-jena-java (make test installs it):
#   tests/tools/jena.sh shacl.shacl validate --shapes S.ttl --data D.ttl
# Works around two Debian packaging problems: every SLF4J binding is packaged (so the
# classpath is explicit), and jena-core's shaded Xerces classes live in the package
# xerces.* while their message bundles stayed under org/apache/jena/ext/xerces/ (they are
# copied once to where the classes look for them).
set -euo pipefail
J=${JENA_JARS:-/usr/share/java}
FIX=${JENA_FIX_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sst-vocab-jena-fix}
if [ ! -f "$FIX/.done" ]; then
  rm -rf "$FIX.tmp" && mkdir -p "$FIX.tmp"
  (cd "$FIX.tmp" && unzip -q -o "$J/jena-core.jar" 'org/apache/jena/ext/xerces/impl/*.properties' \
     && mkdir -p xerces && cp -r org/apache/jena/ext/xerces/impl xerces/ && rm -rf org && touch .done)
  rm -rf "$FIX" && mv "$FIX.tmp" "$FIX"
fi
CP=$FIX
# Debian's unversioned names (symlinks to the packaged version); a missing jar stops here rather
# than as a ClassNotFoundError later.
for n in jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index jena-dboe-storage \
         jena-dboe-trans-data jena-dboe-transaction jena-iri jena-rdfconnection jena-shacl jena-shex \
         jena-tdb jena-tdb2 commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 \
         dexx.collection gson guava httpclient httpclient-cache httpcore commons-logging \
         jackson-core jackson-databind jackson-annotations jsonld-java jakarta.json-api titanium-json-ld \
         protobuf thrift slf4j-api slf4j-simple; do
  [ -f "$J/$n.jar" ] || { echo "jena.sh: $J/$n.jar is missing (apt-get install libapache-jena-java)" >&2; exit 3; }
  CP="$CP:$J/$n.jar"
done
exec java ${JENA_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$CP" "$@"
