# Sourced by ./mvnw and bin/netsplit. Sets JAVA_HOME to a JDK 21 or newer, or fails with one line.
# Order: $JAVA_HOME if it is 21+, the `java` on PATH if it is 21+, then the places JDKs are usually
# installed (Debian's /usr/lib/jvm, /opt, SDKMAN, IntelliJ's ~/.jdks, macOS), newest first.
netsplit_java_major() {
  # prints the feature version of the JDK at $1, or nothing
  local home="$1" v=""
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  if [ -x "$home/bin/javac" ] && [ -n "$v" ]; then echo "$v"; fi
  return 0
}

netsplit_find_jdk() {
  local min=21 best="" best_v=0 cand v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(netsplit_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(netsplit_java_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then export JAVA_HOME="$cand"; return 0; fi
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] || continue
    v=$(netsplit_java_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$cand"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "netsplit: no JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /opt, SDKMAN, ~/.jdks); install one or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
