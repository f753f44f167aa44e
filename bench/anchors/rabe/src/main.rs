//! Times rabe 0.4.2's ciphertext-policy ABE schemes on this machine, so that Carechain's own
//! MA-ABE figures can be compared with a native peer in the same benchmark run.
//!
//! Prints one JSON document on stdout (shape in README.md) and progress on stderr. Every figure
//! is the median wall-clock time of single operations on one thread. Each (scheme, attribute
//! count) is checked for correctness once before it is timed: the full key decrypts, and a key
//! with one attribute too few is refused, so a broken build never reports numbers.

use std::env;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rabe::schemes::{ac17, aw11, bsw};
use rabe::utils::hash::sha3_hash_fr;
use rabe::utils::policy::pest::PolicyLanguage;
use rabe_bn::{pairing, Fr, Group, Gt, G1, G2};
use rand::Rng;
use serde::Serialize;

const RABE_VERSION: &str = "0.4.2";
const RABE_BN_VERSION: &str = "0.4.23";

/// One (scheme, attribute count) median, in the shape bench/crypto compares against. The
/// `*_cpu_ms` fields are medians of the benchmark thread's own CPU time over the same runs,
/// left out where the OS has no per-thread clock.
#[derive(Serialize)]
struct Row {
    scheme: &'static str,
    attributes: usize,
    encrypt_ms: f64,
    decrypt_ms: f64,
    keygen_ms: f64,
    keygen_ms_per_attribute: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypt_cpu_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decrypt_cpu_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keygen_cpu_ms: Option<f64>,
    iterations: usize,
    authorities: usize,
    policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    caveat: Option<&'static str>,
}

/// Single BN254 operations of rabe-bn, timed in the same process so that each ABE figure can be
/// read in pairing-equivalents. rabe-bn exports only the full pairing, not its two halves.
#[derive(Serialize)]
struct Primitives {
    pairing_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pairing_cpu_ms: Option<f64>,
    g1_mul_ms: f64,
    g2_mul_ms: f64,
    gt_exp_ms: f64,
}

#[derive(Serialize)]
struct Report {
    peer: &'static str,
    crate_name: &'static str,
    crate_version: &'static str,
    pairing_crate: String,
    curve: &'static str,
    message_bytes: usize,
    primitives: Primitives,
    results: Vec<Row>,
}

/// How long one operation is repeated: at most `max_iterations` runs, and no more once
/// `per_operation` has passed and `min_iterations` runs exist.
#[derive(Clone, Copy)]
struct Budget {
    max_iterations: usize,
    min_iterations: usize,
    per_operation: Duration,
    /// Run the operation once untimed first; off where a correctness check already ran it,
    /// which saves seconds per operation at 50 attributes.
    warm_up: bool,
}

/// The median wall-clock and thread-CPU time of one operation, in milliseconds.
#[derive(Clone, Copy)]
struct Timing {
    wall_ms: f64,
    cpu_ms: Option<f64>,
    runs: usize,
}

/// CPU time consumed so far by the calling thread. It measures the benchmark's own work, which
/// stays meaningful when other processes compete for the two shared cores.
#[cfg(unix)]
fn thread_cpu_ns() -> Option<i128> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128)
}

#[cfg(not(unix))]
fn thread_cpu_ns() -> Option<i128> {
    None
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(|a, b| a.partial_cmp(b).expect("timings are finite"));
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

/// Times `op` (after one untimed run if the budget asks for it) until the budget is spent, and
/// returns the medians and the number of timed runs.
fn measure<F: FnMut() -> Result<(), String>>(b: Budget, mut op: F) -> Result<Timing, String> {
    if b.warm_up {
        op()?;
    }
    let mut wall: Vec<f64> = Vec::with_capacity(b.max_iterations);
    let mut cpu: Vec<f64> = Vec::with_capacity(b.max_iterations);
    let mut cpu_ok = true;
    let started = Instant::now();
    while wall.len() < b.max_iterations {
        let c0 = thread_cpu_ns();
        let t0 = Instant::now();
        op()?;
        wall.push(t0.elapsed().as_secs_f64() * 1e3);
        match (c0, thread_cpu_ns()) {
            (Some(c0), Some(c1)) => cpu.push((c1 - c0) as f64 / 1e6),
            _ => cpu_ok = false,
        }
        if wall.len() >= b.min_iterations && started.elapsed() > b.per_operation {
            break;
        }
    }
    let runs = wall.len();
    Ok(Timing {
        wall_ms: median(&mut wall),
        cpu_ms: cpu_ok.then(|| round(median(&mut cpu))),
        runs,
    })
}

fn round(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// Upper case, because rabe's AW11 upper-cases attribute names at authority setup and then
/// looks them up verbatim at key generation.
fn attribute_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ATTR{i}")).collect()
}

/// The AND of all attributes in rabe's human policy language, as a balanced tree of binary
/// ANDs: `("ATTR0" and "ATTR1") and ("ATTR2" and ("ATTR3" and "ATTR4"))`. rabe's Lewko-Waters
/// conversion (msp.rs) panics on an AND with more than two children, and a balanced tree keeps
/// its recursion shallow; the resulting matrix has one row per attribute either way.
fn and_policy(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => format!("\"{}\"", names[0]),
        n => {
            let (left, right) = names.split_at(n / 2);
            let wrap = |part: &[String]| {
                if part.len() > 1 {
                    format!("({})", and_policy(part))
                } else {
                    and_policy(part)
                }
            };
            format!("{} and {}", wrap(left), wrap(right))
        }
    }
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// An attribute no policy here mentions, so the rejection check's key is never empty.
const UNRELATED: &str = "UNRELATED";

/// All attributes but the last, plus UNRELATED: a key that must not open the AND policy.
fn one_short<'a>(attrs: &[&'a str]) -> Vec<&'a str> {
    let mut weak = attrs[..attrs.len() - 1].to_vec();
    weak.push(UNRELATED);
    weak
}

fn expect_round_trip(scheme: &str, got: Result<Vec<u8>, rabe::error::RabeError>, msg: &[u8]) -> Result<(), String> {
    match got {
        Ok(pt) if pt == msg => Ok(()),
        Ok(_) => Err(format!("{scheme}: a satisfying key decrypted to a different message")),
        Err(e) => Err(format!("{scheme}: a satisfying key failed to decrypt: {e}")),
    }
}

fn expect_refusal(scheme: &str, got: Result<Vec<u8>, rabe::error::RabeError>) -> Result<(), String> {
    match got {
        Err(_) => Ok(()),
        Ok(_) => Err(format!("{scheme}: a key missing one attribute decrypted an AND policy")),
    }
}

fn measure_bsw(n: usize, b: Budget, msg: &[u8]) -> Result<Row, String> {
    let names = attribute_names(n);
    let attrs = as_strs(&names);
    let policy = and_policy(&names);
    let lang = PolicyLanguage::HumanPolicy;
    let (pk, msk) = bsw::setup();
    let sk = bsw::keygen(&pk, &msk, &attrs).ok_or("bsw: keygen refused the attributes")?;
    let ct = bsw::encrypt(&pk, &policy, lang, msg).map_err(|e| format!("bsw: encrypt: {e}"))?;
    expect_round_trip("bsw", bsw::decrypt(&sk, &ct), msg)?;
    let weak = bsw::keygen(&pk, &msk, &one_short(&attrs)).ok_or("bsw: keygen refused the attributes")?;
    expect_refusal("bsw", bsw::decrypt(&weak, &ct))?;
    let keygen = measure(b, || {
        bsw::keygen(&pk, &msk, &attrs)
            .map(|_| ())
            .ok_or_else(|| "bsw: keygen".to_string())
    })?;
    let encrypt = measure(b, || {
        bsw::encrypt(&pk, &policy, lang, msg)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })?;
    let decrypt = measure(b, || bsw::decrypt(&sk, &ct).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(row("bsw", n, [keygen, encrypt, decrypt], 1, policy, None))
}

fn measure_ac17(n: usize, b: Budget, msg: &[u8]) -> Result<Row, String> {
    let names = attribute_names(n);
    let attrs = as_strs(&names);
    let policy = and_policy(&names);
    let lang = PolicyLanguage::HumanPolicy;
    let (pk, msk) = ac17::setup();
    let sk = ac17::cp_keygen(&msk, &attrs).map_err(|e| format!("ac17: keygen: {e}"))?;
    let ct = ac17::cp_encrypt(&pk, &policy, msg, lang).map_err(|e| format!("ac17: encrypt: {e}"))?;
    expect_round_trip("ac17", ac17::cp_decrypt(&sk, &ct), msg)?;
    let weak = ac17::cp_keygen(&msk, &one_short(&attrs)).map_err(|e| format!("ac17: keygen: {e}"))?;
    expect_refusal("ac17", ac17::cp_decrypt(&weak, &ct))?;
    let keygen = measure(b, || {
        ac17::cp_keygen(&msk, &attrs).map(|_| ()).map_err(|e| e.to_string())
    })?;
    let encrypt = measure(b, || {
        ac17::cp_encrypt(&pk, &policy, msg, lang)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })?;
    let decrypt = measure(b, || ac17::cp_decrypt(&sk, &ct).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(row("ac17", n, [keygen, encrypt, decrypt], 1, policy, None))
}

const AW11_CAVEAT_SHOWN: &str = "not collusion resistant: rabe hashes the GID as g1^SHA3(GID), of known discrete log, so two keys \
for one attribute under different GIDs yield that attribute's key for any GID; shown in this run (a user holding only ATTR1 \
opened \"ATTR0\" and \"ATTR1\" with an ATTR0 key minted from two other users' keys)";
const AW11_CAVEAT_NOT_SHOWN: &str =
    "rabe hashes the GID as g1^SHA3(GID), of known discrete log; the key-minting collusion \
demonstration did not succeed in this run";

/// Shows on live rabe keys why its AW11 is not collusion resistant. A key part for attribute i
/// and GID u is K = g1^(alpha_i) * H(u)^(y_i) with H(u) = g1^h(u) and h(u) = SHA3(u) public, so
/// K = g1^(alpha_i + h(u) y_i). Two users A and C holding i give g1^(y_i) = (K_A / K_C)^(1/(h_A - h_C))
/// and then g1^(alpha_i) = K_A / (g1^(y_i))^(h_A): i's key for any GID. (With H a random oracle
/// into G1, as Lewko-Waters require, h(u) is unknown and the quotient is useless.) Here B, who
/// holds only ATTR1, receives a minted ATTR0 key and opens "ATTR0" and "ATTR1".
fn aw11_collusion_shown(msg: &[u8]) -> Result<bool, String> {
    let gk = aw11::setup();
    let (pk, msk) = aw11::authgen(&gk, &["ATTR0", "ATTR1"]).ok_or("aw11: authgen refused the attributes")?;
    let key = |gid: &str, attr: &str| aw11::keygen(&gk, &msk, gid, &[attr]).map_err(|e| format!("aw11: keygen: {e}"));
    let (alice, carol, mut bob) = (key("alice", "ATTR0")?, key("carol", "ATTR0")?, key("bob", "ATTR1")?);
    let ct = aw11::encrypt(&gk, &[&pk], r#""ATTR0" and "ATTR1""#, PolicyLanguage::HumanPolicy, msg)
        .map_err(|e| format!("aw11: encrypt: {e}"))?;
    expect_refusal("aw11", aw11::decrypt(&gk, &bob, &ct))?;
    let h = |gid: &str| sha3_hash_fr(gid).map_err(|e| format!("aw11: hash: {e}"));
    let (h_a, h_c, h_b) = (h("alice")?, h("carol")?, h("bob")?);
    let (k_a, k_c) = (alice.attr[0].1, carol.attr[0].1);
    let g1_y = (k_a - k_c) * (h_a - h_c).inverse().ok_or("aw11: equal GID hashes")?;
    let g1_alpha = k_a - g1_y * h_a;
    // Control: a random ATTR0 key part must fail, so success below is owed to the minted value.
    let mut control = bob.clone();
    control.attr.push(("ATTR0".to_string(), rand::thread_rng().gen::<G1>()));
    expect_refusal("aw11", aw11::decrypt(&gk, &control, &ct))?;
    bob.attr.push(("ATTR0".to_string(), g1_alpha + g1_y * h_b));
    Ok(matches!(aw11::decrypt(&gk, &bob, &ct), Ok(pt) if pt == msg))
}
const AW11_AUTHORITIES: usize = 2;

/// AW11 with the attributes dealt round-robin to two authorities (one when n = 1), so that
/// encryption draws on several authorities' public keys and a user key spans both, as in
/// Carechain's multi-authority setting. Key generation time covers both authorities.
fn measure_aw11(n: usize, b: Budget, msg: &[u8], caveat: &'static str) -> Result<Row, String> {
    let names = attribute_names(n);
    let policy = and_policy(&names);
    let lang = PolicyLanguage::HumanPolicy;
    let authorities = AW11_AUTHORITIES.min(n);
    let mut owned: Vec<Vec<&str>> = (0..authorities)
        .map(|a| names.iter().skip(a).step_by(authorities).map(String::as_str).collect())
        .collect();
    owned[0].push(UNRELATED);
    let gk = aw11::setup();
    let keys: Vec<(aw11::Aw11PublicKey, aw11::Aw11MasterKey)> = owned
        .iter()
        .map(|attrs| aw11::authgen(&gk, attrs).ok_or_else(|| "aw11: authgen refused the attributes".to_string()))
        .collect::<Result<_, _>>()?;
    let pks: Vec<&aw11::Aw11PublicKey> = keys.iter().map(|(pk, _)| pk).collect();
    // Each attribute's key part comes from the authority that owns it.
    let keygen = |gid: &str, attrs: &[&str]| -> Result<aw11::Aw11SecretKey, String> {
        let mut sk: Option<aw11::Aw11SecretKey> = None;
        for attr in attrs {
            let a = owned
                .iter()
                .position(|o| o.contains(attr))
                .ok_or_else(|| format!("aw11: no authority owns {attr}"))?;
            match sk.as_mut() {
                None => {
                    sk = Some(aw11::keygen(&gk, &keys[a].1, gid, &[attr]).map_err(|e| format!("aw11: keygen: {e}"))?)
                }
                Some(sk) => {
                    aw11::add_to_attribute(&gk, &keys[a].1, attr, sk).map_err(|e| format!("aw11: keygen: {e}"))?
                }
            }
        }
        sk.ok_or_else(|| "aw11: no attributes".to_string())
    };
    let attrs = as_strs(&names);
    let sk = keygen("patient-gid", &attrs)?;
    let ct = aw11::encrypt(&gk, &pks, &policy, lang, msg).map_err(|e| format!("aw11: encrypt: {e}"))?;
    expect_round_trip("aw11", aw11::decrypt(&gk, &sk, &ct), msg)?;
    let weak = keygen("patient-gid", &one_short(&attrs))?;
    expect_refusal("aw11", aw11::decrypt(&gk, &weak, &ct))?;
    let keygen = measure(b, || keygen("patient-gid", &attrs).map(|_| ()))?;
    let encrypt = measure(b, || {
        aw11::encrypt(&gk, &pks, &policy, lang, msg)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })?;
    let decrypt = measure(b, || {
        aw11::decrypt(&gk, &sk, &ct).map(|_| ()).map_err(|e| e.to_string())
    })?;
    Ok(row(
        "aw11",
        n,
        [keygen, encrypt, decrypt],
        authorities,
        policy,
        Some(caveat),
    ))
}

fn row(
    scheme: &'static str,
    n: usize,
    [keygen, encrypt, decrypt]: [Timing; 3],
    authorities: usize,
    policy: String,
    caveat: Option<&'static str>,
) -> Row {
    Row {
        scheme,
        attributes: n,
        encrypt_ms: round(encrypt.wall_ms),
        decrypt_ms: round(decrypt.wall_ms),
        keygen_ms: round(keygen.wall_ms),
        keygen_ms_per_attribute: round(keygen.wall_ms / n as f64),
        encrypt_cpu_ms: encrypt.cpu_ms,
        decrypt_cpu_ms: decrypt.cpu_ms,
        keygen_cpu_ms: keygen.cpu_ms,
        iterations: keygen.runs.min(encrypt.runs).min(decrypt.runs),
        authorities,
        policy,
        caveat,
    }
}

fn measure_primitives(b: Budget) -> Result<Primitives, String> {
    let mut rng = rand::thread_rng();
    let p: G1 = rng.gen();
    let q: G2 = rng.gen();
    let k: Fr = rng.gen();
    let gt: Gt = pairing(p, q);
    let mut sink_gt = Gt::one();
    let pairing_t = measure(b, || {
        sink_gt = pairing(p, q);
        Ok(())
    })?;
    let mut sink_g1 = G1::zero();
    let g1_mul_ms = measure(b, || {
        sink_g1 = p * k;
        Ok(())
    })?;
    let mut sink_g2 = G2::zero();
    let g2_mul_ms = measure(b, || {
        sink_g2 = q * k;
        Ok(())
    })?;
    let gt_exp_ms = measure(b, || {
        sink_gt = gt.pow(k);
        Ok(())
    })?;
    // Keeps the optimiser from discarding the timed work.
    if sink_g1 == G1::zero() || sink_g2 == G2::zero() || sink_gt == Gt::one() {
        return Err("a primitive returned the identity".into());
    }
    Ok(Primitives {
        pairing_ms: round(pairing_t.wall_ms),
        pairing_cpu_ms: pairing_t.cpu_ms,
        g1_mul_ms: round(g1_mul_ms.wall_ms),
        g2_mul_ms: round(g2_mul_ms.wall_ms),
        gt_exp_ms: round(gt_exp_ms.wall_ms),
    })
}

struct Options {
    sizes: Vec<usize>,
    schemes: Vec<String>,
    iterations: usize,
    op_budget_ms: u64,
    message_bytes: usize,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![1, 5, 10, 20, 50],
        schemes: vec!["bsw".into(), "ac17".into(), "aw11".into()],
        iterations: 30,
        op_budget_ms: 1500,
        message_bytes: 32,
    };
    let args: Vec<String> = env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let positive = |v: &str| {
            v.parse::<usize>()
                .ok()
                .filter(|x| *x >= 1)
                .ok_or_else(|| format!("{flag}: {v:?} is not a positive integer"))
        };
        match flag.as_str() {
            "--attributes" => {
                o.sizes = value.split(',').map(|s| positive(s.trim())).collect::<Result<_, _>>()?;
                if o.sizes.iter().any(|&n| n > 1000) {
                    return Err("--attributes: at most 1000".into());
                }
            }
            "--schemes" => {
                o.schemes = value.split(',').map(|s| s.trim().to_string()).collect();
                if let Some(bad) = o
                    .schemes
                    .iter()
                    .find(|s| !["bsw", "ac17", "aw11"].contains(&s.as_str()))
                {
                    return Err(format!("--schemes: unknown scheme {bad:?} (bsw, ac17, aw11)"));
                }
            }
            "--iterations" => o.iterations = positive(value)?,
            "--op-budget-ms" => o.op_budget_ms = positive(value)? as u64,
            "--message-bytes" => o.message_bytes = positive(value)?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(o)
}

fn run() -> Result<(), String> {
    let o = parse_options()?;
    let msg: Vec<u8> = (0..o.message_bytes).map(|i| (i * 7 + 1) as u8).collect();
    let base = Budget {
        max_iterations: o.iterations,
        min_iterations: o.iterations.min(3),
        per_operation: Duration::from_millis(o.op_budget_ms),
        warm_up: false,
    };
    eprintln!("[rabe] primitives");
    let primitives = measure_primitives(Budget {
        max_iterations: 4 * o.iterations,
        warm_up: true,
        ..base
    })?;
    let mut results = Vec::new();
    let aw11_caveat = if !o.schemes.iter().any(|s| s == "aw11") {
        AW11_CAVEAT_NOT_SHOWN
    } else if aw11_collusion_shown(&msg)? {
        AW11_CAVEAT_SHOWN
    } else {
        AW11_CAVEAT_NOT_SHOWN
    };
    for scheme in &o.schemes {
        for &n in &o.sizes {
            let mut b = base;
            if n > 10 {
                // Large policies cost proportionally more per run; fewer runs bound the total.
                b.max_iterations = (base.max_iterations * 10 / n).max(base.min_iterations);
            }
            eprintln!("[rabe] {scheme} {n} attributes");
            let r = match scheme.as_str() {
                "bsw" => measure_bsw(n, b, &msg),
                "ac17" => measure_ac17(n, b, &msg),
                _ => measure_aw11(n, b, &msg, aw11_caveat),
            }
            .map_err(|e| format!("{e} (at {n} attributes)"))?;
            results.push(r);
        }
    }
    let report = Report {
        peer: "rabe",
        crate_name: "rabe",
        crate_version: RABE_VERSION,
        pairing_crate: format!("rabe-bn {RABE_BN_VERSION}"),
        curve: "BN254",
        message_bytes: o.message_bytes,
        primitives,
        results,
    };
    println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rabe-anchors: {e}");
            ExitCode::FAILURE
        }
    }
}
