#!/usr/bin/env bash
# Lighthouse (mobile) on the client's Today page, signed in, against a server this script starts
# on its own port with its own throwaway database. Prints the performance, accessibility and
# best-practices scores (targets: each >= 95) and the page's JavaScript size gzipped (< 50 KB).
#
# Needs Lighthouse 12.2.3 (13.x needs Node 22), installed into the git-ignored var/ folder:
#   mkdir -p var/lighthouse && (cd var/lighthouse && npm install lighthouse@12.2.3)
# Usage: bench/lighthouse.sh   (LH_DIR=var/lighthouse, LH_PORT=8791, CHROME_PATH=/usr/bin/chromium;
#                               LH_REPORT=path keeps the JSON report)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
LH_DIR="${LH_DIR:-$ROOT/var/lighthouse}"
LH_BIN="$LH_DIR/node_modules/.bin/lighthouse"
PORT="${LH_PORT:-8791}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

if [ ! -x "$LH_BIN" ]; then
  echo "Lighthouse not found at $LH_BIN: mkdir -p $LH_DIR && cd $LH_DIR && npm install lighthouse@12.2.3" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is already in use: set LH_PORT to a free port of your own." >&2
  exit 1
fi

WORK="$(mktemp -d -t hinge-lighthouse.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A production-like server: DEBUG off, static files collected and served by WhiteNoise.
export DJANGO_SETTINGS_MODULE=config.settings.base
export HINGE_VAR_DIR="$WORK/var"
export STATIC_ROOT="$WORK/static"
export DEBUG=false
export ALLOWED_HOSTS="localhost,127.0.0.1"
unset DATABASE_URL REDIS_URL

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0
COOKIE="$("$PY" manage.py shell -v 0 -c '
import datetime as dt, uuid
from decimal import Decimal
from django.conf import settings
from django.test import Client as Browser
from django.utils import timezone
from coaching.clients.services import coach_create, client_create, client_invite_accept
from coaching.services.prescriptions import assignment_create
from programs.lines import Line
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.models import Exercise

ex = lambda slug: Exercise.objects.get(slug=slug, owner__isnull=True)
coach = coach_create(email="coach@lighthouse.test", password="gym-bench-oak-2026", name="Coach L")
person = client_create(coach=coach, name="Maya Okafor", email="maya@lighthouse.test")
person = client_invite_accept(token=person.invite_token, password="swing-bell-pine-2026")
today = timezone.localdate()
lines = [
    Line(exercise=ex("romanian-deadlift"), sets=3, low=8, high=10, load=Decimal("60"), tempo="3-2-1",
              target_rpe=Decimal("8")),
    Line(exercise=ex("single-leg-rdl"), sets=3, low=8, high=12, load=Decimal("12")),
    Line(exercise=ex("rdl-isometric-hold"), sets=2, low=10, high=20, load=Decimal("40")),
]
assignment = assignment_create(client=person, start_date=today - dt.timedelta(days=28), lines=lines,
                               changed_by=coach.user)
items = []
for week in range(4):
    when = timezone.now() - dt.timedelta(days=27 - 7 * week)
    sets = [SetInput(exercise="romanian-deadlift", reps=8 + week // 2, load=Decimal(55 + 2.5 * week)) for _ in range(3)]
    items.append(SessionInput(id=uuid.uuid4(), assignment_id=assignment.pk, performed_at=when,
                              client_modified_at=when, sets=tuple(sets)))
sessions_apply(user=person.user, items=items)
browser = Browser()
browser.force_login(person.user)
print(browser.cookies[settings.SESSION_COOKIE_NAME].value)
')"

"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.2
done

URL="http://localhost:$PORT/today/"
# With Chromium 156 a trace sometimes fails to record (NO_NAVSTART): try up to three times.
for attempt in 1 2 3; do
  rm -f "$WORK/report.json"
  "$LH_BIN" "$URL" \
    --quiet \
    --form-factor=mobile \
    --only-categories=performance,accessibility,best-practices \
    --extra-headers="{\"Cookie\": \"sessionid=$COOKIE\"}" \
    --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage" \
    --output=json --output-path="$WORK/report.json" || true
  if [ -f "$WORK/report.json" ] && ! grep -q '"runtimeError"' "$WORK/report.json"; then break; fi
  echo "Lighthouse attempt $attempt had a runtime error; retrying." >&2
done
if [ -n "${LH_REPORT:-}" ] && [ -f "$WORK/report.json" ]; then cp "$WORK/report.json" "$LH_REPORT"; fi

"$PY" - "$WORK/report.json" "$ROOT" <<'EOF'
import gzip
import json
import sys
from pathlib import Path

report_path, root = Path(sys.argv[1]), Path(sys.argv[2])
if not report_path.exists():
    sys.exit("Lighthouse wrote no report; see its output above.")
report = json.loads(report_path.read_text())
print(f"Lighthouse {report['lighthouseVersion']} on {report['finalDisplayedUrl']} (mobile)")
if report.get("runtimeError"):
    print("runtime error:", report["runtimeError"].get("message"))
for key in ("performance", "accessibility", "best-practices"):
    category = report["categories"][key]
    score = category["score"]
    print(f"  {key:15} {'n/a' if score is None else round(score * 100)}")
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
            print(f"      - {audit['title']} ({audit['score']})")
metrics = report["audits"]
for audit_id in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
    if audit_id in metrics and metrics[audit_id].get("displayValue"):
        print(f"  {metrics[audit_id]['title']}: {metrics[audit_id]['displayValue']}")
page_js = ["static/client/outbox.js", "static/client/today.js"]
worker_js = sorted(str(p.relative_to(root)) for p in (root / "static/vendor/workbox").glob("*.js"))
def gz(paths):
    return sum(len(gzip.compress((root / p).read_bytes(), 9)) for p in paths)
print(f"  page JavaScript gzipped: {gz(page_js) / 1024:.1f} KB ({', '.join(page_js)})")
print(f"  service worker's Workbox gzipped: {gz(worker_js) / 1024:.1f} KB (loaded by the worker, not the page)")
print(f"  page CSS gzipped: {gz(['static/client/phone.css']) / 1024:.1f} KB")
EOF
