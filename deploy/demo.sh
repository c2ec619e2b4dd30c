#!/usr/bin/env bash
# Local demo: the county hub and two township edges (广顺镇, 马路乡), run from the published output.
#
#   deploy/demo.sh                 publish (deploy/publish.sh), start all three, seed demo data once
#   deploy/demo.sh --no-publish    reuse artifacts/publish as it is
#
# State lives in <repo>/.demo: keys.env (sync keys + admin password, made once), hub/, guangshun/, malu/
# (data dirs, logs in <DataDir>/logs), <name>.console.log, seeded (marker). Delete .demo to start over.
# Ctrl-C stops all three.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEMO="$ROOT/.demo"
PUBLISH="$ROOT/artifacts/publish"
HUB_PORT=5000
GS_PORT=5101
ML_PORT=5102
HUB_URL="http://127.0.0.1:$HUB_PORT"
GS_URL="http://127.0.0.1:$GS_PORT"
ML_URL="http://127.0.0.1:$ML_PORT"
HEALTH_TIMEOUT=60

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '%s\n' "$*"; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

publish=1
for arg in "$@"; do
  case "$arg" in
    --no-publish) publish=0 ;;
    -h | --help)
      sed -n '2,11p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

port_in_use() { # port_in_use PORT: true if anything listens on it (any address)
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && return 0
  fi
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
  else
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
  fi
  return 1
}

check_ports() {
  local port busy=()
  for port in $HUB_PORT $GS_PORT $ML_PORT; do
    if port_in_use "$port"; then busy+=("$port"); fi
  done
  if [ "${#busy[@]}" -gt 0 ]; then
    local who="" alt
    alt="$(IFS='|' && echo "${busy[*]}")"
    if command -v ss >/dev/null 2>&1; then
      who="$(ss -Htlnp 2>/dev/null | grep -E ":($alt)[[:space:]]" || true)"
    fi
    die "port(s) ${busy[*]} already in use; stop whatever listens there (an earlier demo?) and retry.
${who}"
  fi
}

# --- tools ------------------------------------------------------------------------------------
need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
# GB/T 9704 printing (印制) needs these TrueType faces; without them printing refuses with a clear message.
[ -f /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf ] || need+=(fonts-arphic-gbsn00lp)
[ -f /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf ] || need+=(fonts-arphic-gkai00mp)
if [ "${#need[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "please install: ${need[*]}"
  log "==> installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"

check_ports

# --- keys and admin password: made once per .demo, reused on restart ---------------------------
random_hex() { # random_hex BYTES
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex "$1"
  else
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
    echo
  fi
}

mkdir -p "$DEMO/hub" "$DEMO/guangshun" "$DEMO/malu"
chmod 700 "$DEMO"
KEYS="$DEMO/keys.env"
if [ ! -s "$KEYS" ]; then
  (
    umask 077
    {
      echo "# EGovEdge demo secrets, made $(date -Iseconds). Delete .demo/ to start over."
      echo "GUANGSHUN_KEY=$(random_hex 16)"
      echo "MALU_KEY=$(random_hex 16)"
      echo "ADMIN_PASSWORD=demo-$(random_hex 6)"
      echo "STAFF_PASSWORD=staff-$(random_hex 4)"
    } >"$KEYS"
  )
  log "==> made new sync keys and admin password in $KEYS"
fi
GUANGSHUN_KEY=""
MALU_KEY=""
ADMIN_PASSWORD=""
STAFF_PASSWORD=""
while IFS='=' read -r k v; do # parsed, not sourced
  case "$k" in
    GUANGSHUN_KEY) GUANGSHUN_KEY="$v" ;;
    MALU_KEY) MALU_KEY="$v" ;;
    ADMIN_PASSWORD) ADMIN_PASSWORD="$v" ;;
    STAFF_PASSWORD) STAFF_PASSWORD="$v" ;;
  esac
done <"$KEYS"
if [ -z "$STAFF_PASSWORD" ]; then # keys.env from an older demo: add the staff password
  STAFF_PASSWORD="staff-$(random_hex 4)"
  echo "STAFF_PASSWORD=$STAFF_PASSWORD" >>"$KEYS"
fi
if [ -z "$GUANGSHUN_KEY" ] || [ -z "$MALU_KEY" ] || [ -z "$ADMIN_PASSWORD" ]; then
  die "$KEYS is incomplete; delete it to make new keys"
fi

# --- publish -----------------------------------------------------------------------------------
if [ "$publish" -eq 1 ]; then
  bash "$ROOT/deploy/publish.sh" "$PUBLISH"
fi
HUB_DLL="$PUBLISH/hub/EGovEdge.Hub.dll"
EDGE_DLL="$PUBLISH/edge/EGovEdge.Edge.dll"
[ -f "$HUB_DLL" ] || die "$HUB_DLL not found (run without --no-publish)"
[ -f "$EDGE_DLL" ] || die "$EDGE_DLL not found (run without --no-publish)"

check_ports # again: publishing takes a while

# --- start / stop ------------------------------------------------------------------------------
NAMES=()
PIDS=()

# shellcheck disable=SC2317 # called from the EXIT trap
stop_all() {
  local pid alive
  [ "${#PIDS[@]}" -gt 0 ] || return 0
  log ""
  log "==> stopping ${NAMES[*]}"
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 75); do # 15 s for a graceful shutdown
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 1 ] || break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  PIDS=()
  log "==> stopped"
}
# shellcheck disable=SC2317 # trap handler
on_exit() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_all
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME DLL ARGS...: runs `dotnet DLL ARGS` in its own session, working directory = the
# publish folder (the content root: appsettings.json, wwwroot), output to .demo/NAME.console.log
start() {
  local name="$1" dll="$2"
  shift 2
  local clog="$DEMO/$name.console.log" a shown=()
  for a in "$@"; do # no secrets in the log
    case "$a" in *:Key=* | *:HubKey=* | *:Password=*) shown+=("${a%%=*}=***") ;; *) shown+=("$a") ;; esac
  done
  printf '\n===== %s: dotnet %s %s\n' "$(date -Iseconds)" "$dll" "${shown[*]}" >>"$clog"
  (cd "$(dirname "$dll")" && exec setsid dotnet "$dll" "$@" </dev/null >>"$clog" 2>&1) &
  NAMES+=("$name")
  PIDS+=("$!")
  log "==> started $name (pid $!), console log $clog"
}

start hub "$HUB_DLL" --urls "$HUB_URL" --EGov:DataDir="$DEMO/hub" \
  --EGov:Townships:guangshun:Key="$GUANGSHUN_KEY" --EGov:Townships:guangshun:Name=广顺镇 \
  --EGov:Townships:malu:Key="$MALU_KEY" --EGov:Townships:malu:Name=马路乡 \
  --EGov:Admin:Password="$ADMIN_PASSWORD"
start guangshun "$EDGE_DLL" --urls "$GS_URL" --EGov:DataDir="$DEMO/guangshun" --EGov:NodeId=guangshun \
  --EGov:HubUrl="$HUB_URL" --EGov:HubKey="$GUANGSHUN_KEY" --EGov:SyncIntervalSeconds=5 \
  --EGov:Admin:Password="$ADMIN_PASSWORD"
start malu "$EDGE_DLL" --urls "$ML_URL" --EGov:DataDir="$DEMO/malu" --EGov:NodeId=malu \
  --EGov:HubUrl="$HUB_URL" --EGov:HubKey="$MALU_KEY" --EGov:SyncIntervalSeconds=5 \
  --EGov:Admin:Password="$ADMIN_PASSWORD"

# --- wait for /healthz --------------------------------------------------------------------------
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }

log "==> waiting for /healthz (up to ${HEALTH_TIMEOUT}s)"
urls=("$HUB_URL" "$GS_URL" "$ML_URL")
ready=(0 0 0)
deadline=$((SECONDS + HEALTH_TIMEOUT))
while :; do
  pending=0
  for i in 0 1 2; do
    [ "${ready[$i]}" -eq 0 ] || continue
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      log "---- last lines of $DEMO/${NAMES[$i]}.console.log:"
      tail -n 40 "$DEMO/${NAMES[$i]}.console.log" || true
      die "${NAMES[$i]} exited during startup (see $DEMO/${NAMES[$i]}.console.log)"
    fi
    if [ "$(http_code "${urls[$i]}/healthz")" = "200" ]; then
      ready[i]=1
      log "    ${NAMES[$i]} is up (${urls[$i]})"
    else
      pending=1
    fi
  done
  [ "$pending" -eq 1 ] || break
  if [ "$SECONDS" -ge "$deadline" ]; then
    for i in 0 1 2; do
      if [ "${ready[$i]}" -eq 0 ]; then
        log "---- ${NAMES[$i]}: GET ${urls[$i]}/healthz answered $(http_code "${urls[$i]}/healthz"); last lines of its console log:"
        tail -n 40 "$DEMO/${NAMES[$i]}.console.log" || true
      fi
    done
    die "not healthy after ${HEALTH_TIMEOUT}s: GET /healthz must answer 200 on all three"
  fi
  sleep 1
done

# --- seed demo data, once ----------------------------------------------------------------------
json_str() { # JSON string literal
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\t'/\\t}"
  printf '"%s"' "$s"
}

declare -A TOKENS=()
get_token() { # get_token BASEURL: prints a bearer token from POST /api/auth/token
  local base="$1" body resp code token=""
  body="{\"username\":\"admin\",\"password\":$(json_str "$ADMIN_PASSWORD")}"
  resp="$(mktemp)"
  code="$(curl -s -o "$resp" -w '%{http_code}' --max-time 15 -H 'Content-Type: application/json' \
    --data-binary "$body" "$base/api/auth/token" || true)"
  if [ "${code:0:1}" = "2" ]; then
    # {"token":"…"} / {"accessToken":"…"} / {"access_token":"…"} or a bare (JSON) string
    token="$(tr -d '\n\r' <"$resp" | sed -nE 's/.*"(access_?[tT]oken|token)"[[:space:]]*:[[:space:]]*"([^"]+)".*/\2/p')"
    if [ -z "$token" ] && ! grep -q '{' "$resp"; then
      token="$(tr -d '\n\r" ' <"$resp")"
    fi
  fi
  rm -f "$resp"
  [ -n "$token" ] || return 1
  printf '%s' "$token"
}

# post_document BASEURL JSON: POST /api/documents; on 401 log in as admin and retry with the token
post_document() {
  local base="$1" json="$2" resp code attempt auth=()
  resp="$(mktemp)"
  for attempt in 1 2; do
    auth=()
    [ -z "${TOKENS[$base]:-}" ] || auth=(-H "Authorization: Bearer ${TOKENS[$base]}")
    code="$(curl -s -o "$resp" -w '%{http_code}' --max-time 30 \
      -H 'Content-Type: application/json; charset=utf-8' -H 'Accept: application/json' "${auth[@]}" \
      --data-binary "$json" "$base/api/documents" || true)"
    if [ "$code" = "401" ] && [ "$attempt" -eq 1 ]; then
      local token
      if token="$(get_token "$base")"; then
        TOKENS[$base]="$token"
        continue
      fi
      log "    POST $base/api/auth/token did not give a token"
    fi
    break
  done
  if [ "${code:0:1}" = "2" ]; then
    rm -f "$resp"
    return 0
  fi
  log "    POST $base/api/documents answered HTTP ${code:-000}: $(head -c 400 "$resp" 2>/dev/null | tr '\n' ' ')"
  rm -f "$resp"
  return 1
}

# doc ID BASEURL TITLE DOCTYPE URGENCY RECIPIENTS_JSON BODY
# Each document is posted once: done ids are kept in .demo/seed.progress, so a restart after a
# partial seed neither duplicates nor skips anything.
seed_failed=0
doc() {
  local id="$1" base="$2" title="$3" type="$4" urgency="$5" recipients="$6" body="$7"
  if grep -qx "$id" "$DEMO/seed.progress" 2>/dev/null; then return 0; fi
  local json
  json="{\"title\":$(json_str "$title"),\"docType\":$(json_str "$type"),\"urgency\":$(json_str "$urgency"),\"body\":$(json_str "$body"),\"recipients\":$recipients}"
  if post_document "$base" "$json"; then
    echo "$id" >>"$DEMO/seed.progress"
    log "    + [$type/$urgency] $title"
  else
    seed_failed=1
    log "    ! not seeded: $title"
  fi
}

if [ ! -f "$DEMO/seeded" ]; then
  log "==> seeding demo documents"

  doc gs-1 "$GS_URL" \
    "长顺县广顺镇人民政府关于做好2026年冬春森林防火工作的通知" "通知" "加急" '[]' \
    "各村（社区）、镇直各单位：
当前已进入冬春森林防火紧要期，天干物燥，火险等级持续偏高。为切实做好2026年冬春森林防火工作，现就有关事项通知如下：
一、压实防火责任。各村（社区）要落实网格化管理，明确护林员巡山路线和责任区域，做到山有人管、林有人护、火有人防、责有人担。
二、严管野外用火。严禁烧田埂草、烧灰积肥、上坟烧纸等野外违规用火行为，发现一起、查处一起。
三、加强值班值守。严格执行24小时值班和领导带班制度，发现火情须第一时间报告镇森林防火指挥部（电话：0854-6811119），不得迟报、漏报、瞒报。
特此通知。

长顺县广顺镇人民政府
2026年11月20日"

  doc gs-2 "$GS_URL" \
    "长顺县广顺镇人民政府关于商请协同开展广顺镇—马路乡交界区域森林防火联防联控工作的函" "函" "加急" '["malu"]' \
    "马路乡人民政府：
广顺镇与你乡山林接壤，交界区域林地面积大、人员往来频繁，森林防火任务艰巨。为共同守护交界区域森林资源安全，我镇商请与你乡建立森林防火联防联控机制：一是互通火情信息，明确双方联络人；二是每月开展一次交界区域联合巡查；三是发生火情时就近调派扑火力量、相互支援。
妥否，请函复。
联系人：广顺镇林业站 王明，电话：0854-6811023。

长顺县广顺镇人民政府
2026年11月21日"

  doc gs-3 "$GS_URL" \
    "长顺县广顺镇人民政府关于邀请参加2026年广顺镇农民丰收节暨特色农产品展销会的函" "函" "普通" '["*"]' \
    "各乡（镇）人民政府，县直有关单位：
为展示我县特色农业发展成果、拓宽农产品销售渠道，我镇定于2026年12月12日（星期六）上午9:00在广顺镇文化广场举办2026年广顺镇农民丰收节暨特色农产品展销会，现诚邀贵单位组织特色农产品参展并派员参加。
请于12月5日前将参展产品清单和参会人员名单报广顺镇农业农村综合服务中心。
联系人：李娟，电话：0854-6811056。

长顺县广顺镇人民政府
2026年11月22日"

  doc ml-1 "$ML_URL" \
    "长顺县马路乡人民政府关于同意协同开展广顺镇—马路乡交界区域森林防火联防联控工作的复函" "函" "加急" '["guangshun"]' \
    "广顺镇人民政府：
你镇《关于商请协同开展广顺镇—马路乡交界区域森林防火联防联控工作的函》收悉。经研究，我乡同意建立交界区域森林防火联防联控机制。我乡联络人为马路乡林业站杨华（电话：0854-6821037），联合巡查建议定于每月第一周周三开展，首次巡查时间另行商定。
特此函复。

长顺县马路乡人民政府
2026年11月24日"

  doc ml-2 "$ML_URL" \
    "长顺县马路乡人民政府关于申请拨付2026年农村饮水安全巩固提升工程维修资金的请示" "请示" "普通" '[]' \
    "县人民政府：
今年以来，受持续干旱和管网老化影响，我乡新寨、摆所等4个村集中供水工程出现管网破损、蓄水池渗漏等问题，涉及群众1260余户5300余人。经乡水利站现场核查测算，维修改造共需资金48.6万元，我乡已自筹12万元，尚有缺口36.6万元。
为保障群众饮水安全，恳请县人民政府拨付维修资金36.6万元。
妥否，请批示。

长顺县马路乡人民政府
2026年11月25日"

  doc hub-1 "$HUB_URL" \
    "长顺县人民政府办公室关于切实做好近期低温雨雪凝冻天气防范应对工作的紧急通知" "通知" "特急" '["*"]' \
    "各乡（镇）人民政府，县政府各部门、各直属机构：
据县气象局预报，11月29日至12月3日我县将出现持续低温雨雪凝冻天气。为切实做好防范应对工作，保障人民群众生命财产安全，现就有关事项紧急通知如下：
一、强化监测预警。各乡（镇）要密切关注天气变化，及时通过应急广播、短信等渠道发布预警信息。
二、保障交通安全。交通运输部门要提前储备融雪物资，做好重点路段除冰保通工作。
三、做好民生保障。要加强对独居老人、留守儿童等困难群体的走访排查，确保群众安全温暖过冬。
四、严格值班值守。各单位要严格落实24小时值班和领导带班制度，重要情况第一时间报县人民政府总值班室。

长顺县人民政府办公室
2026年11月27日"

  if [ "$seed_failed" -eq 0 ]; then
    date -Iseconds >"$DEMO/seeded"
    log "==> demo data seeded (marker $DEMO/seeded)"
  else
    log "WARNING: some demo documents were not seeded; the next start of deploy/demo.sh tries them again"
  fi
else
  log "==> demo data already seeded ($DEMO/seeded)"
fi

# --- office demo: staff with roles, electronic seals, meeting rooms, a vehicle ------------------
# api BASEURL USER PASSWORD METHOD PATH [JSON]: prints the answer's body; fails unless HTTP 2xx.
declare -A USER_TOKENS=()
api() {
  local base="$1" user="$2" pass="$3" method="$4" path="$5" json="${6:-}" key resp code token
  key="$base|$user"
  if [ -z "${USER_TOKENS[$key]:-}" ]; then
    resp="$(curl -s --max-time 15 -H 'Content-Type: application/json' \
      --data-binary "{\"username\":$(json_str "$user"),\"password\":$(json_str "$pass")}" "$base/api/auth/token" || true)"
    token="$(printf '%s' "$resp" | sed -nE 's/.*"token"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p')"
    [ -n "$token" ] || return 1
    USER_TOKENS[$key]="$token"
  fi
  resp="$(mktemp)"
  if [ -n "$json" ]; then
    code="$(curl -s -o "$resp" -w '%{http_code}' --max-time 30 -X "$method" -H "Authorization: Bearer ${USER_TOKENS[$key]}" \
      -H 'Content-Type: application/json; charset=utf-8' --data-binary "$json" "$base$path" || true)"
  else
    code="$(curl -s -o "$resp" -w '%{http_code}' --max-time 30 -X "$method" -H "Authorization: Bearer ${USER_TOKENS[$key]}" "$base$path" || true)"
  fi
  cat "$resp"
  rm -f "$resp"
  [ "${code:0:1}" = "2" ]
}
json_id() { sed -nE 's/^[^{]*\{"id"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p'; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 2 s
  local limit="$1" what="$2" waited=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    waited=$((waited + 2))
    if [ "$waited" -ge "$limit" ]; then
      log "    ! gave up waiting for $what"
      return 1
    fi
    sleep 2
  done
}
staff() { # staff USERNAME NAME UNIT ROLES_JSON
  local json
  json="{\"username\":\"$1\",\"displayName\":$(json_str "$2"),\"unit\":\"$3\",\"roles\":$4,\"password\":$(json_str "$STAFF_PASSWORD")}"
  api "$HUB_URL" admin "$ADMIN_PASSWORD" POST /api/users "$json" >/dev/null || api "$HUB_URL" admin "$ADMIN_PASSWORD" GET /api/users | grep -q "\"$1\""
}
township_seal() { # township_seal EDGEURL CLERK SEALNAME
  local base="$1" clerk="$2" name="$3" answer id
  wait_for 90 "$clerk at $base" api "$base" "$clerk" "$STAFF_PASSWORD" GET /api/seals || return 1
  if api "$base" "$clerk" "$STAFF_PASSWORD" GET /api/seals | grep -q "$name"; then return 0; fi
  answer="$(api "$base" "$clerk" "$STAFF_PASSWORD" POST /api/seals "{\"name\":$(json_str "$name"),\"signer\":\"$clerk\"}")" || return 1
  id="$(printf '%s' "$answer" | json_id)"
  [ -n "$id" ] || return 1
  wait_for 90 "the seal request at the hub" hub_has_seal "$id" || return 1
  api "$HUB_URL" admin "$ADMIN_PASSWORD" POST "/api/seals/$id/issue" >/dev/null
}
ensure() { # ensure BASEURL USER PASSWORD PATH NAME JSON: POST JSON to PATH unless GET PATH already lists NAME
  if api "$1" "$2" "$3" GET "$4" | grep -qF "$5"; then return 0; fi
  api "$1" "$2" "$3" POST "$4" "$6"
}
hub_has_seal() { api "$HUB_URL" admin "$ADMIN_PASSWORD" GET /api/seals | grep -q "$1"; }

if [ ! -f "$DEMO/seeded-office" ]; then
  log "==> seeding office demo: staff, seals, meeting rooms, a vehicle"
  office_failed=0
  step() { # step COMMAND...: runs one seeding step; a failure is logged and retried on the next start
    if ! "$@" >/dev/null; then
      local what="$*"
      what="${what//$ADMIN_PASSWORD/***}"
      log "    ! not seeded: ${what//$STAFF_PASSWORD/***}"
      office_failed=1
    fi
  }
  step staff xianfu_clerk "赵敏" hub '["clerk","seal_admin"]'
  step staff xianfu_leader "刘卫东" hub '["leader"]'
  step staff gs_clerk "王芳" guangshun '["clerk","seal_admin"]'
  step staff gs_leader "李建国" guangshun '["leader"]'
  step staff gs_driver "张国强" guangshun '["driver"]'
  step staff ml_clerk "杨华" malu '["clerk","seal_admin"]'
  step staff ml_leader "陈志强" malu '["leader"]'
  step ensure "$HUB_URL" admin "$ADMIN_PASSWORD" /api/seals "长顺县人民政府办公室公章" \
    '{"name":"长顺县人民政府办公室公章","unitName":"长顺县人民政府办公室","signer":"xianfu_clerk","issue":true}'
  step township_seal "$GS_URL" gs_clerk "广顺镇人民政府公章"
  step township_seal "$ML_URL" ml_clerk "马路乡人民政府公章"
  step ensure "$HUB_URL" xianfu_clerk "$STAFF_PASSWORD" /api/rooms "县政府常务会议室" \
    '{"name":"县政府常务会议室","location":"县政府办公楼四楼","capacity":40}'
  step ensure "$GS_URL" gs_clerk "$STAFF_PASSWORD" /api/rooms "广顺镇政府三楼会议室" \
    '{"name":"广顺镇政府三楼会议室","location":"镇政府办公楼三楼","capacity":30}'
  step ensure "$ML_URL" ml_clerk "$STAFF_PASSWORD" /api/rooms "马路乡便民服务中心会议室" \
    '{"name":"马路乡便民服务中心会议室","location":"乡便民服务中心二楼","capacity":20}'
  step ensure "$GS_URL" gs_clerk "$STAFF_PASSWORD" /api/vehicles "贵J·A1234" \
    '{"plate":"贵J·A1234","model":"五菱宏光","seats":7,"odometerKm":52000}'
  step wait_for 60 "gs_driver at guangshun" api "$GS_URL" gs_driver "$STAFF_PASSWORD" GET /api/vehicles/trips
  step ensure "$GS_URL" gs_clerk "$STAFF_PASSWORD" /api/vehicles/drivers "gs_driver" \
    '{"username":"gs_driver","name":"张国强","phone":"13800001111","licenseExpiry":"2030-12-31"}'
  if [ "$office_failed" -eq 0 ]; then
    date -Iseconds >"$DEMO/seeded-office"
    log "==> office demo seeded (marker $DEMO/seeded-office)"
  else
    log "WARNING: part of the office demo was not seeded; the next start of deploy/demo.sh tries again"
  fi
else
  log "==> office demo already seeded ($DEMO/seeded-office)"
fi

# --- summary -----------------------------------------------------------------------------------
row() { # row LABEL(display width 16) URL DATADIR
  printf '  %s  %-23s %s\n' "$1" "$2" "$3"
  printf '  %16s  %-23s logs: %s/logs\n' "" "" "$3"
}
log ""
log "  EGovEdge demo is running"
log "  ------------------------------------------------------------------------------------------"
log "  node              URL                     data dir"
row "县中心 hub      " "$HUB_URL" "$DEMO/hub"
row "广顺镇 guangshun" "$GS_URL" "$DEMO/guangshun"
row "马路乡 malu     " "$ML_URL" "$DEMO/malu"
log "  ------------------------------------------------------------------------------------------"
log "  admin login       user: admin   password: $ADMIN_PASSWORD   (kept in $KEYS)"
log "  staff logins      password for all: $STAFF_PASSWORD"
log "                    县 hub: xianfu_clerk 公文收发员/印章管理员, xianfu_leader 签发人"
log "                    广顺镇: gs_clerk 公文收发员/印章管理员, gs_leader 签发人, gs_driver 驾驶员"
log "                    马路乡: ml_clerk 公文收发员/印章管理员, ml_leader 签发人"
log "  public portal     $HUB_URL/portal      API reference: <node>/api/docs/"
log "  console output    $DEMO/{hub,guangshun,malu}.console.log"
log "  sync              edge <-> hub every 5 s"
log ""
log "  Ctrl-C stops all three."
log ""

# Keep running until Ctrl-C or until one of the three exits.
rc=0
wait -n "${PIDS[@]}" || rc=$?
for i in 0 1 2; do
  if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
    log "ERROR: ${NAMES[$i]} exited (status $rc); last lines of $DEMO/${NAMES[$i]}.console.log:"
    tail -n 40 "$DEMO/${NAMES[$i]}.console.log" || true
  fi
done
exit 1
