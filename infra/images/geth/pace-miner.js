// Keeps this node's miner from stamping blocks too far ahead of the wall clock. Runs inside
// `geth attach` (the console's goja engine, ES5), beside the node, started by entrypoint.sh.
//
// Why: ethash gives each block the time max(now, parent + 1 s). When the two test-mode miners
// find more than one block a second (an idle machine at the genesis difficulty), block times
// run ahead of the clock by the surplus, and geth refuses a peer's header more than 15 s in the
// future ("block in the future"): the nodes drop each other and mine separate chains. Geth up
// to 1.9 had its miner wait in that case; 1.11 does not. So when the head is
// PACE_PAUSE_AHEAD_S or more ahead, mining pauses (miner_stop) until the clock has caught up
// to within PACE_RESUME_AHEAD_S. Mining stays real proof of work; under load the miners are
// slower than a block a second and this never triggers.
//
// It only restarts a miner it paused itself. A miner_stop from a test or an operator while the
// miner is running holds; one sent while this script has it paused cannot be told apart from
// the pause, so such a caller re-sends miner_stop while it needs the miner held (or sets
// GETH_PACE_MINER=0). It restarts with PACE_MINER_THREADS threads: geth's miner_start without
// a count would start one per CPU.

/* global eth, miner, admin, console */
var PACE_PAUSE_AHEAD_S = typeof PACE_PAUSE_AHEAD_S === 'number' ? PACE_PAUSE_AHEAD_S : 8;
var PACE_RESUME_AHEAD_S = typeof PACE_RESUME_AHEAD_S === 'number' ? PACE_RESUME_AHEAD_S : 2;
var PACE_POLL_S = typeof PACE_POLL_S === 'number' ? PACE_POLL_S : 0.5;
var PACE_MINER_THREADS = typeof PACE_MINER_THREADS === 'number' ? PACE_MINER_THREADS : 1;

/**
 * The pacing rule, pure so it can be unit-tested: given whether this loop paused the miner,
 * how far the head's time is ahead of the clock (s) and whether the node is mining, returns
 * 'pause', 'resume' or 'none'.
 */
function paceDecision(pausedByUs, aheadS, mining) {
  if (!pausedByUs && mining && aheadS >= PACE_PAUSE_AHEAD_S) return 'pause';
  if (pausedByUs && aheadS <= PACE_RESUME_AHEAD_S) return 'resume';
  return 'none';
}

function paceMiner() {
  var pausedByUs = false;
  for (;;) {
    try {
      var head = eth.getBlock('latest');
      var aheadS = head.timestamp - Math.floor(Date.now() / 1000);
      var mining = eth.mining;
      // Someone else started the miner while it was paused here: it is theirs again.
      if (pausedByUs && mining) pausedByUs = false;
      var decision = paceDecision(pausedByUs, aheadS, mining);
      if (decision === 'pause') {
        miner.stop();
        pausedByUs = true;
        console.log('pace-miner: paused mining at block ' + head.number + ', ' + aheadS + ' s ahead of the clock');
      } else if (decision === 'resume') {
        miner.start(PACE_MINER_THREADS);
        pausedByUs = false;
        console.log('pace-miner: resumed mining, head ' + aheadS + ' s ahead of the clock');
      }
    } catch (e) {
      console.log('pace-miner: ' + e);
    }
    admin.sleep(PACE_POLL_S);
  }
}

if (typeof PACE_MINER_NO_LOOP === 'undefined') paceMiner();
