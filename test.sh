#!/usr/bin/env bash
# README's test command: installs what the tests need when it is missing, then runs the whole suite.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Serve).
set -euo pipefail
cd "$(dirname "$0")"

# What the tests drive from outside .NET: one line per Debian package, with the command that proves it present.
# A later need is one more line here.
required=(
  "awscli|test -x /usr/bin/aws"                  # the real AWS CLI against the sandbox
  "bind9-dnsutils|command -v dig"                # dig against the sandbox's DNS server
  "chromium|test -x /usr/bin/chromium"           # the auditor pages' browser test (Playwright drives it)
  "postfix|test -x /usr/sbin/postfix"            # the agent's tests run a private instance of the real Postfix
  "postgresql|ls /usr/lib/postgresql/*/bin/initdb" # the PostgreSQL store's tests start a throw-away cluster
  "python3-spf|/usr/bin/python3 -c 'import spf'" # pyspf, the oracle the SPF evaluator is held against
)

missing=()
for entry in "${required[@]}"; do
  package=${entry%%|*}
  probe=${entry#*|}
  bash -c "$probe" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # Postfix installs without configuring or starting a system instance; the tests run their own.
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet test CutoverEngine.sln "$@"
