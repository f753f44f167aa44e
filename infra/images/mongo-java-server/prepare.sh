#!/usr/bin/env bash
# Host-side step of the mongo-java-server image: fetches mongo-java-server 1.47.0 (H2 and memory
# backends) from Maven Central into the cache, keyed by the hash of pom.xml, and compiles the
# launcher in src/ with javac. Writes only .build/ (lib/ jars, classes/). Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CARECHAIN_CACHE="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"

for tool in mvn javac; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[mongo-java-server] $tool is required on PATH (Maven 3, JDK 17)" >&2; exit 1; }
done

pom_hash=$(sha256sum "$here/pom.xml" | cut -c1-12)
jars="$CARECHAIN_CACHE/maven/mongo-java-server-1.47.0-$pom_hash"

if [ -f "$jars/.complete" ]; then
  echo "[mongo-java-server] using cached jars in $jars"
else
  echo "[mongo-java-server] fetching mongo-java-server 1.47.0 + H2 from Maven Central (about 10 s)..."
  rm -rf "$jars.tmp"
  mvn -B -q -Dstyle.color=never -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$jars.tmp"
  touch "$jars.tmp/.complete"
  rm -rf "$jars"
  mv "$jars.tmp" "$jars"
  echo "[mongo-java-server] $(ls "$jars"/*.jar | wc -l) jars in $jars"
fi

build="$here/.build"
rm -rf "$build/lib" "$build/classes"
mkdir -p "$build/lib" "$build/classes"
cp "$jars"/*.jar "$build/lib/"
echo "[mongo-java-server] compiling the launcher..."
javac --release 17 -d "$build/classes" -cp "$build/lib/*" "$here"/src/carechain/*.java
echo "[mongo-java-server] .build ready"
