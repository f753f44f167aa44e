#!/bin/sh
# Runs one mining node of the private proof-of-work network.
# Ports come from the environment because nodes share the host network. Ethash runs in test
# mode (PowMode 2: tiny dataset, real nonce and mix digest; the two miners find a block every
# 1-3 s at the genesis difficulty) unless
# GETH_ETHASH_FULL=1 asks for the full 1 GiB DAG (PowMode 0, 5-8 minutes to generate;
# mount /ethash to keep it between runs). --miner.recommit 1s (geth's minimum; default 3 s): a
# PoW miner adds transactions that arrive while it seals only on a new head or at a recommit,
# so at 1-3 s blocks a relay batch sent just after a block mostly missed the next one.
# pace-miner.js runs beside the node (GETH_PACE_MINER=0 turns it off): it pauses mining while
# the head's time is GETH_PACE_PAUSE_AHEAD_S (8) or more ahead of the clock, until it is within
# GETH_PACE_RESUME_AHEAD_S (2); peers refuse blocks more than 15 s ahead (see the script).
# GETH_MINER_THREADS (1) is the miner's thread count, also when the pacer restarts it.
set -eu
: "${GETH_HTTP_PORT:=8545}" "${GETH_P2P_PORT:=30303}" "${GETH_AUTHRPC_PORT:=8551}"
: "${GETH_ETHERBASE:?GETH_ETHERBASE (the miner's address) is required}"
: "${GETH_DATA_DIR:=/data/geth}" "${GETH_ETHASH_FULL:=0}" "${GETH_VERBOSITY:=3}"
: "${GETH_PACE_MINER:=1}" "${GETH_PACE_PAUSE_AHEAD_S:=8}" "${GETH_PACE_RESUME_AHEAD_S:=2}" "${GETH_MINER_THREADS:=1}"
# The pacer's settings go into its JavaScript, so only plain numbers pass.
for setting in "GETH_PACE_PAUSE_AHEAD_S=$GETH_PACE_PAUSE_AHEAD_S" "GETH_PACE_RESUME_AHEAD_S=$GETH_PACE_RESUME_AHEAD_S" "GETH_MINER_THREADS=$GETH_MINER_THREADS"; do
  case "${setting#*=}" in
    '' | - | *[!0-9-]* | ?*-*) echo "carechain-geth: $setting must be a whole number" >&2; exit 64 ;;
  esac
done
case "$GETH_PACE_MINER" in 0 | 1) ;; *) echo "carechain-geth: GETH_PACE_MINER=$GETH_PACE_MINER must be 0 or 1" >&2; exit 64 ;; esac
if [ ! -d "$GETH_DATA_DIR/geth/chaindata" ]; then
  geth --datadir "$GETH_DATA_DIR" init /opt/chain/genesis.json
fi
if [ "$GETH_ETHASH_FULL" = 1 ]; then mode=0; dataset=/ethash; else mode=2; dataset="$GETH_DATA_DIR/ethash"; fi
mkdir -p "$dataset"
cat > /tmp/node.toml <<TOML
[Eth.Ethash]
PowMode = $mode
DatasetDir = "$dataset"
CacheDir = "ethash"
TOML
if [ "$GETH_PACE_MINER" = 1 ]; then
  # The script loops for the node's lifetime; this loop re-attaches while the node's RPC is not
  # up yet (geth attach fails) or if the console ever returns.
  (
    while :; do
      geth attach --exec "var PACE_PAUSE_AHEAD_S = $GETH_PACE_PAUSE_AHEAD_S, PACE_RESUME_AHEAD_S = $GETH_PACE_RESUME_AHEAD_S, PACE_MINER_THREADS = $GETH_MINER_THREADS; loadScript('/opt/chain/pace-miner.js')" \
        "http://127.0.0.1:$GETH_HTTP_PORT" 2>/dev/null || true
      sleep 2
    done
  ) &
fi
exec geth --config /tmp/node.toml --datadir "$GETH_DATA_DIR" --networkid 1337 --syncmode full \
  --nodiscover --nat extip:127.0.0.1 --netrestrict 127.0.0.0/8 --port "$GETH_P2P_PORT" --maxpeers 10 \
  --http --http.addr 127.0.0.1 --http.port "$GETH_HTTP_PORT" --http.vhosts '*' --http.corsdomain '*' \
  --http.api eth,net,web3,admin,miner,txpool,debug \
  --authrpc.addr 127.0.0.1 --authrpc.port "$GETH_AUTHRPC_PORT" --ipcdisable \
  --mine --miner.threads "$GETH_MINER_THREADS" --miner.etherbase "$GETH_ETHERBASE" --miner.gasprice 1 --miner.recommit 1s \
  --cache 128 --verbosity "$GETH_VERBOSITY"
