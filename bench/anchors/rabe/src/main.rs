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
use rabe::utils::policy::pest::PolicyLanguage;
use rabe_bn::{pairing, Fr, Group, Gt, G1, G2};
use rand::Rng;
use serde::Serialize;

const RABE_VERSION: &str = "0.4.2";
const RABE_BN_VERSION: &str = "0.4.23";

/// One (scheme, attribute count) median, in the shape bench/crypto compares against.
#[derive(Serialize)]
struct Row {
    scheme: &'static str,
    attributes: usize,
    encrypt_ms: f64,
    decrypt_ms: f64,
    keygen_ms: f64,
    keygen_ms_per_attribute: f64,
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
}

/// Runs `op` once to warm caches, then times it within the budget and returns the median in
/// milliseconds and the number of timed runs.
fn median_ms<F: FnMut() -> Result<(), String>>(b: Budget, mut op: F) -> Result<(f64, usize), String> {
    op()?;
    let mut samples: Vec<f64> = Vec::with_capacity(b.max_iterations);
    let started = Instant::now();
    while samples.len() < b.max_iterations {
        let t0 = Instant::now();
        op()?;
        samples.push(t0.elapsed().as_secs_f64() * 1e3);
        if samples.len() >= b.min_iterations && started.elapsed() > b.per_operation {
            break;
        }
    }
    samples.sort_by(|a, b| a.partial_cmp(b).expect("timings are finite"));
    let n = samples.len();
    let median = if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 };
    Ok((median, n))
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
            let wrap = |part: &[String]| if part.len() > 1 { format!("({})", and_policy(part)) } else { and_policy(part) };
            format!("{} and {}", wrap(left), wrap(right))
        }
    }
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
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
    if n > 1 {
        let weak = bsw::keygen(&pk, &msk, &attrs[..n - 1]).ok_or("bsw: keygen refused the attributes")?;
        expect_refusal("bsw", bsw::decrypt(&weak, &ct))?;
    }
    let (keygen_ms, i1) = median_ms(b, || bsw::keygen(&pk, &msk, &attrs).map(|_| ()).ok_or_else(|| "bsw: keygen".to_string()))?;
    let (encrypt_ms, i2) = median_ms(b, || bsw::encrypt(&pk, &policy, lang, msg).map(|_| ()).map_err(|e| e.to_string()))?;
    let (decrypt_ms, i3) = median_ms(b, || bsw::decrypt(&sk, &ct).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(row("bsw", n, keygen_ms, encrypt_ms, decrypt_ms, i1.min(i2).min(i3), 1, policy, None))
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
    if n > 1 {
        let weak = ac17::cp_keygen(&msk, &attrs[..n - 1]).map_err(|e| format!("ac17: keygen: {e}"))?;
        expect_refusal("ac17", ac17::cp_decrypt(&weak, &ct))?;
    }
    let (keygen_ms, i1) = median_ms(b, || ac17::cp_keygen(&msk, &attrs).map(|_| ()).map_err(|e| e.to_string()))?;
    let (encrypt_ms, i2) = median_ms(b, || ac17::cp_encrypt(&pk, &policy, msg, lang).map(|_| ()).map_err(|e| e.to_string()))?;
    let (decrypt_ms, i3) = median_ms(b, || ac17::cp_decrypt(&sk, &ct).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(row("ac17", n, keygen_ms, encrypt_ms, decrypt_ms, i1.min(i2).min(i3), 1, policy, None))
}

const AW11_CAVEAT: &str = "rabe hashes the GID as g1^SHA3(GID) (known discrete log), so keys of different GIDs can be combined: not collusion resistant";
const AW11_AUTHORITIES: usize = 2;

/// AW11 with the attributes dealt round-robin to two authorities (one when n = 1), so that
/// encryption draws on several authorities' public keys and a user key spans both, as in
/// Carechain's multi-authority setting. Key generation time covers both authorities.
fn measure_aw11(n: usize, b: Budget, msg: &[u8]) -> Result<Row, String> {
    let names = attribute_names(n);
    let policy = and_policy(&names);
    let lang = PolicyLanguage::HumanPolicy;
    let authorities = AW11_AUTHORITIES.min(n);
    let owned: Vec<Vec<&str>> = (0..authorities)
        .map(|a| names.iter().skip(a).step_by(authorities).map(String::as_str).collect())
        .collect();
    let gk = aw11::setup();
    let keys: Vec<(aw11::Aw11PublicKey, aw11::Aw11MasterKey)> = owned
        .iter()
        .map(|attrs| aw11::authgen(&gk, attrs).ok_or_else(|| "aw11: authgen refused the attributes".to_string()))
        .collect::<Result<_, _>>()?;
    let pks: Vec<&aw11::Aw11PublicKey> = keys.iter().map(|(pk, _)| pk).collect();
    let keygen = |gid: &str, skip_last: bool| -> Result<aw11::Aw11SecretKey, String> {
        let mut sk: Option<aw11::Aw11SecretKey> = None;
        for (a, attrs) in owned.iter().enumerate() {
            for attr in attrs.iter() {
                if skip_last && *attr == names[n - 1] {
                    continue;
                }
                match sk.as_mut() {
                    None => sk = Some(aw11::keygen(&gk, &keys[a].1, gid, &[attr]).map_err(|e| format!("aw11: keygen: {e}"))?),
                    Some(sk) => aw11::add_to_attribute(&gk, &keys[a].1, attr, sk).map_err(|e| format!("aw11: keygen: {e}"))?,
                }
            }
        }
        sk.ok_or_else(|| "aw11: no attributes".to_string())
    };
    let sk = keygen("patient-gid", false)?;
    let ct = aw11::encrypt(&gk, &pks, &policy, lang, msg).map_err(|e| format!("aw11: encrypt: {e}"))?;
    expect_round_trip("aw11", aw11::decrypt(&gk, &sk, &ct), msg)?;
    if n > 1 {
        let weak = keygen("patient-gid", true)?;
        expect_refusal("aw11", aw11::decrypt(&gk, &weak, &ct))?;
    }
    let (keygen_ms, i1) = median_ms(b, || keygen("patient-gid", false).map(|_| ()))?;
    let (encrypt_ms, i2) = median_ms(b, || aw11::encrypt(&gk, &pks, &policy, lang, msg).map(|_| ()).map_err(|e| e.to_string()))?;
    let (decrypt_ms, i3) = median_ms(b, || aw11::decrypt(&gk, &sk, &ct).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(row("aw11", n, keygen_ms, encrypt_ms, decrypt_ms, i1.min(i2).min(i3), authorities, policy, Some(AW11_CAVEAT)))
}

#[allow(clippy::too_many_arguments)]
fn row(
    scheme: &'static str,
    n: usize,
    keygen_ms: f64,
    encrypt_ms: f64,
    decrypt_ms: f64,
    iterations: usize,
    authorities: usize,
    policy: String,
    caveat: Option<&'static str>,
) -> Row {
    Row {
        scheme,
        attributes: n,
        encrypt_ms: round(encrypt_ms),
        decrypt_ms: round(decrypt_ms),
        keygen_ms: round(keygen_ms),
        keygen_ms_per_attribute: round(keygen_ms / n as f64),
        iterations,
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
    let (pairing_ms, _) = median_ms(b, || {
        sink_gt = pairing(p, q);
        Ok(())
    })?;
    let mut sink_g1 = G1::zero();
    let (g1_mul_ms, _) = median_ms(b, || {
        sink_g1 = p * k;
        Ok(())
    })?;
    let mut sink_g2 = G2::zero();
    let (g2_mul_ms, _) = median_ms(b, || {
        sink_g2 = q * k;
        Ok(())
    })?;
    let (gt_exp_ms, _) = median_ms(b, || {
        sink_gt = gt.pow(k);
        Ok(())
    })?;
    // Keeps the optimiser from discarding the timed work.
    if sink_g1 == G1::zero() || sink_g2 == G2::zero() || sink_gt == Gt::one() {
        return Err("a primitive returned the identity".into());
    }
    Ok(Primitives { pairing_ms: round(pairing_ms), g1_mul_ms: round(g1_mul_ms), g2_mul_ms: round(g2_mul_ms), gt_exp_ms: round(gt_exp_ms) })
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
        op_budget_ms: 3000,
        message_bytes: 32,
    };
    let args: Vec<String> = env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let positive = |v: &str| v.parse::<usize>().ok().filter(|x| *x >= 1).ok_or_else(|| format!("{flag}: {v:?} is not a positive integer"));
        match flag.as_str() {
            "--attributes" => {
                o.sizes = value.split(',').map(|s| positive(s.trim())).collect::<Result<_, _>>()?;
                if o.sizes.iter().any(|&n| n > 1000) {
                    return Err("--attributes: at most 1000".into());
                }
            }
            "--schemes" => {
                o.schemes = value.split(',').map(|s| s.trim().to_string()).collect();
                if let Some(bad) = o.schemes.iter().find(|s| !["bsw", "ac17", "aw11"].contains(&s.as_str())) {
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
    let base = Budget { max_iterations: o.iterations, min_iterations: o.iterations.min(3), per_operation: Duration::from_millis(o.op_budget_ms) };
    eprintln!("[rabe] primitives");
    let primitives = measure_primitives(Budget { max_iterations: 4 * o.iterations, ..base })?;
    let mut results = Vec::new();
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
                _ => measure_aw11(n, b, &msg),
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
