#!/usr/bin/env bash
# The main job: the rollback-deploy plugin inside the real Jenkins, on this machine, with real parts only.
#  1. builds the plugin (rollback-deploy.hpi) and the demo (rollback-demo.jar);
#  2. starts the real Jenkins 2.541.3 from ../shared/jenkins on 127.0.0.1 with the plugin, security on
#     (matrix-auth, a demo admin with a fresh password), and beside it the demo's target: the sample
#     service (stable v1 on two servers, v2 on the canary server), HAProxy, Prometheus and keep-alive load;
#  3. configures the plugin through Jenkins' own APIs (credentials store, script console), creates the
#     Pipeline job "shop" from demo/Jenkinsfile (canaryDeploy, metricsGate, rollbackTo);
#  4. runs a healthy build (promoted) and a bad one (the canary servers answer errors: rolled back by the
#     gate, traffic on stable first, build FAILED with the reason);
#  5. prints the good build's "Roll back to this build" page and the login, and waits: Ctrl-C stops
#     everything it started (traffic on stable first).
# --no-wait: instead of waiting, takes screenshots, clicks the button itself over HTTP, checks the target
# equals the good build's record, restores once more from the Pipeline (0 writes), stops everything and
# checks that nothing it started is left running. Exit 0 when all of that held.
# Env: ROLLBACK_DEMO_HPI=path reuses a built .hpi (no Maven build; the CI test sets it), DEMO_DIR=dir keeps
# everything (logs, screenshots, JENKINS_HOME) there, JENKINS_BUNDLE=dir (default ../shared/jenkins).
# Installs haproxy, prometheus and chromium (--no-wait) when missing (apt-get; run as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
wait_at_end=1
case "${1:-}" in
  --no-wait) wait_at_end="" ;;
  "") ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "usage: ./demo.sh [--no-wait]" >&2; exit 2 ;;
esac

started=$(date +%s)
step() { printf '\n== [%3ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

bundle=${JENKINS_BUNDLE:-$root/../shared/jenkins}
[ -x "$bundle/bin/start-jenkins" ] || fail "the Jenkins bundle is not at $bundle (bin/start-jenkins missing).
  Put the shared folder beside this clone (../shared/jenkins) or set JENKINS_BUNDLE=/path/to/shared/jenkins."
command -v java >/dev/null || fail "java is not on PATH: install a Java 17 JDK (apt-get install openjdk-17-jdk-headless)"
work=${DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/rollback-demo.XXXXXX")}
mkdir -p "$work"; work=$(cd "$work" && pwd)
jhome=$work/jenkins-home
envfile=$work/environment.env
jar=$root/rollback-demo/target/rollback-demo.jar
env_pid=""
jenkins_starter=""
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops what this script started, Jenkins first (no build moves traffic any more), then the environment,
# which puts all traffic on stable before it stops HAProxy. With --no-wait it then checks nothing is left.
cleanup() {
  local code=$? left=""
  trap - EXIT INT TERM
  trap '' PIPE INT   # a reader of our output (| tee) may be gone after Ctrl-C: clean up all the same
  set +e
  alive "$jenkins_starter" && kill "$jenkins_starter"
  if [ -f "$jhome/jenkins.pid" ] && alive "$(cat "$jhome/jenkins.pid")"; then
    echo "== stopping Jenkins"; "$bundle/bin/stop-jenkins" "$jhome" >/dev/null 2>&1
  fi
  if alive "$env_pid"; then
    echo "== stopping the environment (all traffic on stable first)"
    kill -TERM "$env_pid"; wait "$env_pid" 2>/dev/null
    grep -E 'all traffic on stable|WARNING|stopped' "$work/environment.log" | sed 's/^/   /'
  fi
  if [ -z "$wait_at_end" ]; then
    if [ -f "$jhome/bundle.env" ]; then
      jpid=$(sed -n "s/^JENKINS_PID=//p" "$jhome/bundle.env"); jport=$(sed -n "s|^JENKINS_URL=http://127.0.0.1:\([0-9]*\)/|\1|p" "$jhome/bundle.env")
      alive "$jpid" && left="$left jenkins(pid $jpid)"; listening "$jport" && left="$left jenkins-port($jport)"
    fi
    alive "$env_pid" && left="$left environment(pid $env_pid)"
    if [ -f "$envfile" ]; then
      for p in $(sed -n "s/^DEMO_SERVER_PIDS='\(.*\)'/\1/p" "$envfile"); do alive "$p" && left="$left $(ps -o comm= -p "$p")(pid $p)"; done
      for p in $(sed -n "s/^DEMO_PORTS='\(.*\)'/\1/p" "$envfile"); do listening "$p" && left="$left port($p)"; done
    fi
    if [ -n "$left" ]; then
      echo "FAILED: still running after the clean-up:$left" >&2; [ "$code" = 0 ] && code=1
    else
      echo "== nothing left running (Jenkins, haproxy, prometheus, sample service, load: all stopped)"
    fi
  fi
  echo "== logs and screenshots: $work (took $(( $(date +%s) - started )) s)"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hpi=${ROLLBACK_DEMO_HPI:-}
if [ -n "$hpi" ]; then
  [ -f "$hpi" ] || fail "ROLLBACK_DEMO_HPI=$hpi is not a file: unset it to build the plugin"
  [ -f "$jar" ] || fail "$jar is missing: unset ROLLBACK_DEMO_HPI so that the demo builds it"
  step "reusing the plugin $hpi"
else
  step "building the plugin (rollback-deploy.hpi) and the demo (about 1-2 minutes; Maven log: $work/build.log)"
  mvn -B -ntp -q -pl rollback-plugin,rollback-demo -am package -DskipTests > "$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; fail "the Maven build failed (log: $work/build.log). Check Java 17 and Maven 3.8+."; }
  hpi=$root/rollback-plugin/target/rollback-deploy.hpi
fi

step "starting the demo's target: sample service, HAProxy, Prometheus, load (log: $work/environment.log)"
# its own session: Ctrl-C reaches it only through the clean-up, after Jenkins has stopped
setsid java -Xmx256m -jar "$jar" environment "$envfile" > "$work/environment.log" 2>&1 < /dev/null &
env_pid=$!

step "starting the real Jenkins with the plugin, security on (about 30-60 s; log: $jhome/jenkins.log)"
JENKINS_ADMIN_PASSWORD=$password JENKINS_USER_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  JENKINS_JAVA_OPTS=-Xmx768m setsid "$bundle/bin/start-jenkins" -H "$jhome" --matrix "$hpi" > "$work/start-jenkins.log" 2>&1 < /dev/null &
jenkins_starter=$!
seconds=0
while alive "$jenkins_starter" || { [ ! -f "$envfile" ] && alive "$env_pid"; }; do
  sleep 1; seconds=$((seconds + 1))
  if ! alive "$env_pid" && [ ! -f "$envfile" ]; then
    tail -20 "$work/environment.log" >&2
    fail "the demo's target did not start (log above: $work/environment.log). haproxy and prometheus must be installable (apt-get)."
  fi
  if [ $((seconds % 10)) = 0 ]; then
    echo "   ... ${seconds} s: Jenkins $(alive "$jenkins_starter" && echo starting || echo up), environment $([ -f "$envfile" ] && echo ready || echo starting)"
  fi
done
wait "$jenkins_starter" || { tail -30 "$work/start-jenkins.log" >&2; fail "Jenkins did not start (log: $jhome/jenkins.log). Is Java 17 the default java? Is ${bundle} complete?"; }
grep '^environment:' "$work/environment.log" | sed 's/^/   /'
url=$(sed -n 's/^JENKINS_URL=//p' "$jhome/bundle.env")
echo "   Jenkins is up at $url"

step "the story in Jenkins (log: $work/demo.log)"
click=(); [ -z "$wait_at_end" ] && click=(--click)
if ! DEMO_ADMIN_PASSWORD=$password java -Xmx256m -jar "$jar" jenkins "$envfile" "$jhome/bundle.env" \
    "$root/demo/Jenkinsfile" "$work" "${click[@]+"${click[@]}"}" 2>&1 | tee "$work/demo.log"; then
  fail "the demo stopped (see above and $work/demo.log). Jenkins' log: $jhome/jenkins.log, the target's: $work/environment.log"
fi

cat <<EOF

== $([ -n "$wait_at_end" ] && echo ready || echo done). Jenkins: $url  — log in as admin / $password
   The good build: ${url}job/shop/1/   (its record and gate chart: ${url}job/shop/1/rollback-record/)
   The bad build:  ${url}job/shop/2/console
   Roll back to the good build: ${url}job/shop/1/rollback/
   Deployments of the job: ${url}job/shop/rollback-deployments/
EOF
if [ -z "$wait_at_end" ]; then
  echo "   screenshots: $(ls "$work"/screenshots/*.png | tr '\n' ' ')"
  exit 0
fi
echo "   Everything keeps running (load goes through HAProxy at $(sed -n "s/^DEMO_FRONTEND='\(.*\)'/\1/p" "$envfile"))."
echo "   Press Ctrl-C to stop Jenkins and the target (all traffic goes back on stable first)."
wait "$env_pid" || true
