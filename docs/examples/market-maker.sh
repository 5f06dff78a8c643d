#!/usr/bin/env bash
# A market maker's loop with curl, openssl and jq only (docs/market-makers.md, "curl"): quote both sides of one
# instrument around the mark, post-only, signed by an agent key (Ed25519, with openssl); wait for a fill; move the
# quotes (cancel-replace by amend); read the fills and the order history a page at a time; cancel everything.
#
# Needs: MERIDIAN_URL (the node), MERIDIAN_ADDRESS (the owner's address, whose account holds the margin) and
# MERIDIAN_AGENT_PEM (the agent's private key, `openssl genpkey -algorithm ed25519 -out agent.pem`), approved once by
# the owner (POST /v1/agents, signed from a wallet: POST /v1/typed-data/approve-agent gives what to sign).
# Optional: MERIDIAN_INSTRUMENT (a symbol, default BTC-PERP), MERIDIAN_SPREAD_TICKS (default 20),
# MERIDIAN_FILL_TIMEOUT (seconds to wait for a fill, default 30).
set -euo pipefail

url=${MERIDIAN_URL:?the node, e.g. http://127.0.0.1:8080}
address=${MERIDIAN_ADDRESS:?the 0x address of the owner}
pem=${MERIDIAN_AGENT_PEM:?the Ed25519 private key of the agent, PEM}
instrument=${MERIDIAN_INSTRUMENT:-BTC-PERP}
spread_ticks=${MERIDIAN_SPREAD_TICKS:-20}
fill_timeout=${MERIDIAN_FILL_TIMEOUT:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- Signing: the node says what to sign, the agent signs its digest.
hex() { od -An -v -tx1 | tr -d ' \n'; }
agent_key=0x$(openssl pkey -in "$pem" -pubout -outform DER | tail -c 32 | hex)
last_nonce=0
nonce() { # milliseconds, strictly increasing: a nonce is used once
  local now
  now=$(date +%s%3N)
  last_nonce=$(( now > last_nonce ? now : last_nonce + 1 ))
}
# sign KIND BODY: the Ed25519 signature (hex) of the EIP-712 digest POST /v1/typed-data/KIND gives for BODY.
sign() {
  local digest
  digest=$(curl -sS --fail-with-body -D - -o /dev/null -H 'Content-Type: application/json' -d "$2" \
    "$url/v1/typed-data/$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-meridian-digest" { print $2 }')
  [ -n "$digest" ] || { echo "no digest for $1: $2" >&2; return 1; }
  printf "$(sed 's/../\\x&/g' <<< "${digest#0x}")" > "$work/digest"   # hex to its 32 bytes
  openssl pkeyutl -sign -inkey "$pem" -rawin -in "$work/digest" | hex
}
# signed KIND BODY: BODY with the signer's fields and the last nonce (call nonce first, outside any $(...)), signed.
signed() {
  local body
  body=$(jq -c --arg a "$address" --argjson n "$last_nonce" --arg k "$agent_key" \
    '. + {address: $a, nonce: $n, agentKey: $k}' <<< "$2")
  jq -c --arg s "0x$(sign "$1" "$body")" '. + {signature: $s}' <<< "$body"
}
api() { # METHOD PATH [BODY]: the answer's JSON; a refusal prints its code and message and stops the script
  local body=()
  [ $# -lt 3 ] || body=(-d "$3")
  curl -sS --fail-with-body -X "$1" -H 'Content-Type: application/json' -H "X-Meridian-Read-Token: $token" \
    "${body[@]}" "$url$2"
}

# ---- A read token for the account's private data (an hour), signed by the agent.
nonce
until_ms=$(( last_nonce + 3600000 ))
grant=$(jq -nc --arg a "$address" --argjson n "$last_nonce" --argjson u "$until_ms" \
  '{address: $a, nonce: $n, validUntil: $u}')
token="$address.$until_ms.$last_nonce.$(sign read-access "$grant").$agent_key"

# ---- Quote both sides around the mark, post-only (a quote that would take is refused, never filled as a taker).
spec=$(api GET "/v1/instruments?instrument=$instrument" | jq -c '.[0]')
tick=$(jq -r .tickSize <<< "$spec")
mark=$(api GET "/v1/ticker/$instrument" | jq -r .mark)
price() { # mark + N ticks, on the tick grid
  awk -v m="$mark" -v t="$tick" -v n="$1" 'BEGIN { d = length(t) - index(t, "."); if (index(t, ".") == 0) d = 0;
    printf "%.*f", d, (int(m / t + 0.5) + n) * t }'
}
quote() { # SIDE PRICE CLIENT_ID: places it; its order id in $order
  nonce
  order=$(api POST /v1/orders "$(signed order "$(jq -nc --arg i "$instrument" --arg s "$1" --arg p "$2" \
    --arg c "$3" '{instrument: $i, side: $s, price: $p, quantity: "0.010", postOnly: true,
    clientOrderId: $c}')")" | jq -r .orderId)
}
run=$(date +%s)   # client order ids are texts (1-36 of A-Z a-z 0-9 . _ : / -), fresh for each order
quote buy "$(price "-$spread_ticks")" "mm-$run-bid-1"
bid=$order
quote sell "$(price "$spread_ticks")" "mm-$run-ask-1"
ask=$order
echo "quoted bid=$bid ask=$ask around $mark"

# ---- Wait for a fill (a REST poll; the JavaScript and Java loops take them from the account stream instead).
deadline=$(( $(date +%s) + fill_timeout ))
until [ "$(api GET "/v1/fills?address=$address&limit=1" | jq length)" -gt 0 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no fill within ${fill_timeout}s" >&2; exit 1; }
  sleep 0.2
done
echo "filled: $(api GET "/v1/fills?address=$address&limit=1" | jq -c '.[0] | {orderId, side, price, quantity}')"

# ---- Cancel-replace: move both quotes one tick out by amending them (the order ids stay; a new price loses priority).
mark=$(api GET "/v1/ticker/$instrument" | jq -r .mark)
for move in "$bid buy -$(( spread_ticks + 1 ))" "$ask sell $(( spread_ticks + 1 ))"; do
  read -r order side ticks <<< "$move"
  nonce
  # What is signed names the order; the PUT names it in its path instead.
  body=$(signed amend "$(jq -nc --arg i "$instrument" --argjson o "$order" --arg p "$(price "$ticks")" \
    '{instrument: $i, orderId: $o, price: $p}')" | jq -c 'del(.orderId)')
  status=$(curl -sS -o "$work/amend" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d "$body" \
    "$url/v1/orders/$order")
  # An order filled in full is no longer open: 422 UNKNOWN_ORDER (2019); quote it again instead.
  if [ "$status" = 422 ] && [ "$(jq .code "$work/amend")" = 2019 ]; then
    quote "$side" "$(price "$ticks")" "mm-$run-$side-2"
  elif [ "$status" != 200 ]; then
    echo "amend refused: $(cat "$work/amend")" >&2; exit 1
  fi
  echo "moved $side to $(price "$ticks") (order $order)"
done

# ---- History, a page at a time: follow X-Meridian-Next-Cursor until there is none.
page() { # PATH: every item of every page
  local cursor="" sep
  sep=$([[ "$1" == *\?* ]] && echo '&' || echo '?')
  while :; do
    curl -sS --fail-with-body -D "$work/headers" -H "X-Meridian-Read-Token: $token" \
      "$url$1${cursor:+${sep}cursor=$cursor}" | jq -c '.[]'
    cursor=$(tr -d '\r' < "$work/headers" | awk -F': ' 'tolower($1) == "x-meridian-next-cursor" { print $2 }')
    [ -n "$cursor" ] || break
  done
}
echo "fills: $(page "/v1/fills?address=$address&limit=2" | wc -l)"
echo "orders: $(page "/v1/orders/history?address=$address&limit=2" | wc -l)"

# ---- Done: cancel everything still open (a signed cancel-all in the DELETE's query).
nonce
sig=$(sign cancel-all "$(jq -nc --arg a "$address" --argjson n "$last_nonce" '{address: $a, nonce: $n}')")
curl -sS --fail-with-body -X DELETE \
  "$url/v1/orders?address=$address&nonce=$last_nonce&signature=0x$sig&agentKey=$agent_key" > /dev/null
echo "open after cancel-all: $(api GET "/v1/orders?address=$address" | jq length)"
