#!/usr/bin/env bash
# Host-side step before `docker build`: fetches the broker's jars from Maven Central (per
# pom.xml) into $CARECHAIN_CACHE/kafka/<hash of pom.xml>/libs once, then copies them into
# .build/libs for the image. A changed pom.xml gets a new cache folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
key="$(sha256sum "$here/pom.xml" | cut -c1-16)"
libs="$cache/kafka/4.1.1-$key/libs"
if [ ! -f "$libs/.complete" ]; then
  command -v mvn >/dev/null 2>&1 || { echo "[carechain] kafka: Maven (mvn) is needed to fetch the broker jars; apt-get install -y maven" >&2; exit 1; }
  echo "[carechain] kafka: fetching Kafka 4.1.1 jars from Maven Central (about 30 s)..." >&2
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -B -q -f "$here/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs" >&2
  touch "$libs/.complete"
fi
rm -rf "$here/.build" && mkdir -p "$here/.build/libs"
cp -l "$libs"/*.jar "$here/.build/libs/" 2>/dev/null || cp "$libs"/*.jar "$here/.build/libs/"
echo "[carechain] kafka: $(ls "$here/.build/libs" | wc -l) jars ready" >&2
