//! BLS12-381 for @carechain/crypto, shaped for throughput across the N-API boundary.
//!
//! Every group element crosses into JavaScript as an opaque Buffer holding blst's own
//! in-memory representation (Montgomery-form projective coordinates, Fp12 towers, line
//! tables). Those buffers are only ever produced here; anything that comes from outside the
//! process enters through the `*_from_bytes` decoders, which check the canonical encoding,
//! the curve equation and subgroup membership. Scalars cross as 32-byte big-endian integers
//! below r. Whole decryption products (many Miller loops and one final exponentiation) run
//! in one call so the per-call overhead is paid once.
#![deny(clippy::all)]

use blst::*;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::mem::size_of;

fn invalid(msg: &str) -> Error {
    Error::new(Status::InvalidArg, msg.to_string())
}

/// Copies a raw blst value out of a buffer produced by `to_raw`.
fn from_raw<T: Copy + Default>(b: &[u8]) -> Result<T> {
    if b.len() != size_of::<T>() {
        return Err(invalid("raw element has the wrong length"));
    }
    let mut v = T::default();
    // SAFETY: T is a plain-old-data blst struct of exactly b.len() bytes; every bit pattern
    // is a valid value of its integer limbs.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), &mut v as *mut T as *mut u8, b.len()) };
    Ok(v)
}

fn to_raw<T: Copy>(v: &T) -> Buffer {
    // SAFETY: reading the bytes of a POD struct.
    let s = unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) };
    Buffer::from(s.to_vec())
}

fn raw_vec<T: Copy + Default>(b: &[u8]) -> Result<Vec<T>> {
    let n = size_of::<T>();
    if b.len() % n != 0 {
        return Err(invalid("raw element array has the wrong length"));
    }
    b.chunks(n).map(from_raw::<T>).collect()
}

/// Reads a canonical big-endian scalar (< r) into blst's little-endian scalar bytes.
fn scalar_le(b: &[u8]) -> Result<[u8; 32]> {
    if b.len() != 32 {
        return Err(invalid("scalar must be 32 bytes"));
    }
    let mut s = blst_scalar::default();
    unsafe { blst_scalar_from_bendian(&mut s, b.as_ptr()) };
    if !unsafe { blst_scalar_fr_check(&s) } {
        return Err(invalid("scalar is not below the group order"));
    }
    Ok(s.b)
}

fn scalars_le(b: &[u8]) -> Result<Vec<[u8; 32]>> {
    if b.len() % 32 != 0 {
        return Err(invalid("scalar array has the wrong length"));
    }
    b.chunks(32).map(scalar_le).collect()
}

/// 4-bit windows over a 256-bit scalar.
const FB_WINDOWS: usize = 64;
const FB_DIGITS: usize = 16;

/// Reads entry `idx` of `n` equally sized POD entries in `bytes`, touching every entry with
/// the same instructions (mask-and-or over 64-bit words), so the access pattern is
/// independent of `idx`.
fn ct_select<T: Copy + Default>(bytes: &[u8], n: usize, idx: usize) -> T {
    const MAX_WORDS: usize = 72; // blst_fp12 is the largest entry: 576 bytes
    let size = size_of::<T>();
    assert!(size % 8 == 0 && size / 8 <= MAX_WORDS && bytes.len() == n * size);
    let words = size / 8;
    let mut acc = [0u64; MAX_WORDS];
    let src = bytes.as_ptr();
    for i in 0..n {
        let diff = (i ^ idx) as u64;
        // 1 when diff == 0, else 0, without a branch.
        let eq = ((diff | diff.wrapping_neg()) >> 63) ^ 1;
        let mask = eq.wrapping_neg();
        for (j, a) in acc[..words].iter_mut().enumerate() {
            // SAFETY: i * size + j * 8 + 8 <= n * size = bytes.len(); the buffer may be unaligned.
            let w = unsafe { std::ptr::read_unaligned(src.add(i * size + j * 8) as *const u64) };
            *a |= w & mask;
        }
    }
    let mut out = T::default();
    // SAFETY: T is POD of exactly `size` bytes.
    unsafe { std::ptr::copy_nonoverlapping(acc.as_ptr() as *const u8, &mut out as *mut T as *mut u8, size) };
    out
}

macro_rules! curve_group {
    ($p:ident, $aff:ident, $compressed:expr, $gen:ident, $add:ident, $mult:ident, $cneg:ident,
     $eq:ident, $is_inf:ident, $to_aff:ident, $from_aff:ident, $compress:ident, $uncompress:ident,
     $in_group:ident, $hash:ident, $add_aff:ident,
     $pip_scratch:ident, $pip:ident, $tos_aff:ident,
     $f_gen:ident, $f_id:ident, $f_add:ident, $f_neg:ident, $f_mul:ident, $f_eq:ident, $f_is_id:ident,
     $f_to:ident, $f_from:ident, $f_hash:ident, $f_tab:ident, $f_tab_mul:ident, $f_msm:ident) => {
        /// The fixed generator.
        #[napi]
        pub fn $f_gen() -> Buffer {
            to_raw(unsafe { &*$gen() })
        }

        /// The identity (point at infinity).
        #[napi]
        pub fn $f_id() -> Buffer {
            to_raw(&$p::default())
        }

        #[napi]
        pub fn $f_add(a: Buffer, b: Buffer) -> Result<Buffer> {
            let (a, b): ($p, $p) = (from_raw(&a)?, from_raw(&b)?);
            let mut out = $p::default();
            unsafe { $add(&mut out, &a, &b) };
            Ok(to_raw(&out))
        }

        #[napi]
        pub fn $f_neg(a: Buffer) -> Result<Buffer> {
            let mut a: $p = from_raw(&a)?;
            unsafe { $cneg(&mut a, true) };
            Ok(to_raw(&a))
        }

        /// Constant-time scalar multiplication (blst's windowed ladder).
        #[napi]
        pub fn $f_mul(a: Buffer, s: Buffer) -> Result<Buffer> {
            let a: $p = from_raw(&a)?;
            let s = scalar_le(&s)?;
            let mut out = $p::default();
            unsafe { $mult(&mut out, &a, s.as_ptr(), 255) };
            Ok(to_raw(&out))
        }

        #[napi]
        pub fn $f_eq(a: Buffer, b: Buffer) -> Result<bool> {
            let (a, b): ($p, $p) = (from_raw(&a)?, from_raw(&b)?);
            Ok(unsafe { $eq(&a, &b) })
        }

        #[napi]
        pub fn $f_is_id(a: Buffer) -> Result<bool> {
            let a: $p = from_raw(&a)?;
            Ok(unsafe { $is_inf(&a) })
        }

        /// Canonical compressed encoding (ZCash/IETF layout).
        #[napi]
        pub fn $f_to(a: Buffer) -> Result<Buffer> {
            let a: $p = from_raw(&a)?;
            let mut out = [0u8; $compressed];
            unsafe { $compress(out.as_mut_ptr(), &a) };
            Ok(Buffer::from(out.to_vec()))
        }

        /// Decodes a compressed point; null unless it is canonical, on the curve and in the
        /// prime-order subgroup.
        #[napi]
        pub fn $f_from(b: Buffer) -> Option<Buffer> {
            if b.len() != $compressed {
                return None;
            }
            let mut aff = $aff::default();
            if unsafe { $uncompress(&mut aff, b.as_ptr()) } != BLST_ERROR::BLST_SUCCESS {
                return None;
            }
            if !unsafe { $in_group(&aff) } {
                return None;
            }
            let mut p = $p::default();
            unsafe { $from_aff(&mut p, &aff) };
            // Reject non-canonical encodings: the re-encoding must be byte-identical.
            let mut again = [0u8; $compressed];
            unsafe { $compress(again.as_mut_ptr(), &p) };
            if again[..] != b[..] {
                return None;
            }
            Some(to_raw(&p))
        }

        /// RFC 9380 hash_to_curve (XMD:SHA-256, SSWU, random oracle) under `dst`.
        #[napi]
        pub fn $f_hash(msg: Buffer, dst: Buffer) -> Result<Buffer> {
            if dst.is_empty() || dst.len() > 255 {
                return Err(invalid("DST must be 1..255 bytes"));
            }
            let mut out = $p::default();
            unsafe {
                $hash(&mut out, msg.as_ptr(), msg.len(), dst.as_ptr(), dst.len(), std::ptr::null(), 0)
            };
            Ok(to_raw(&out))
        }

        /// Precomputes a fixed-base table for one point: d·16^i·P in affine form for every
        /// 4-bit window i and digit d (digit 0 stored as the all-zero affine infinity).
        #[napi]
        pub fn $f_tab(a: Buffer) -> Result<Buffer> {
            let a: $p = from_raw(&a)?;
            let mut proj = vec![$p::default(); FB_WINDOWS * FB_DIGITS];
            let mut base = a;
            for w in 0..FB_WINDOWS {
                proj[w * FB_DIGITS + 1] = base;
                for d in 2..FB_DIGITS {
                    let mut t = $p::default();
                    unsafe { $add(&mut t, &proj[w * FB_DIGITS + d - 1], &base) };
                    proj[w * FB_DIGITS + d] = t;
                }
                for _ in 0..4 {
                    let mut t = $p::default();
                    unsafe { $add(&mut t, &base, &base) };
                    base = t;
                }
            }
            let mut table = vec![$aff::default(); FB_WINDOWS * FB_DIGITS];
            for w in 0..FB_WINDOWS {
                for d in 1..FB_DIGITS {
                    unsafe { $to_aff(&mut table[w * FB_DIGITS + d], &proj[w * FB_DIGITS + d]) };
                }
            }
            let s = unsafe {
                std::slice::from_raw_parts(table.as_ptr() as *const u8, table.len() * size_of::<$aff>())
            };
            Ok(Buffer::from(s.to_vec()))
        }

        /// s·P from a `*_table`: 64 mixed additions, each entry picked by a constant-time scan
        /// of its window so the memory access pattern does not depend on the scalar.
        #[napi]
        pub fn $f_tab_mul(table: Buffer, s: Buffer) -> Result<Buffer> {
            if table.len() != FB_WINDOWS * FB_DIGITS * size_of::<$aff>() {
                return Err(invalid("not a fixed-base table"));
            }
            let le = scalar_le(&s)?;
            let mut acc = $p::default();
            for w in 0..FB_WINDOWS {
                let d = ((le[w / 2] >> ((w % 2) * 4)) & 0x0f) as usize;
                let row = &table[w * FB_DIGITS * size_of::<$aff>()..(w + 1) * FB_DIGITS * size_of::<$aff>()];
                let e: $aff = ct_select(row, FB_DIGITS, d);
                let mut t = $p::default();
                unsafe { $add_aff(&mut t, &acc, &e) };
                acc = t;
            }
            Ok(to_raw(&acc))
        }

        /// Multi-scalar multiplication Σ s_i·P_i (Pippenger).
        #[napi]
        pub fn $f_msm(points: Buffer, scalars: Buffer) -> Result<Buffer> {
            let ps: Vec<$p> = raw_vec(&points)?;
            let ss = scalars_le(&scalars)?;
            if ps.len() != ss.len() {
                return Err(invalid("points and scalars differ in length"));
            }
            let mut out = $p::default();
            if ps.is_empty() {
                return Ok(to_raw(&out));
            }
            if ps.len() == 1 {
                unsafe { $mult(&mut out, &ps[0], ss[0].as_ptr(), 255) };
                return Ok(to_raw(&out));
            }
            let mut affs = vec![$aff::default(); ps.len()];
            let pp: Vec<*const $p> = ps.iter().map(|p| p as *const $p).collect();
            unsafe { $tos_aff(affs.as_mut_ptr(), pp.as_ptr(), ps.len()) };
            let ap: Vec<*const $aff> = affs.iter().map(|a| a as *const $aff).collect();
            let sp: Vec<*const u8> = ss.iter().map(|s| s.as_ptr()).collect();
            let mut scratch = vec![0 as limb_t; unsafe { $pip_scratch(ps.len()) } / size_of::<limb_t>() + 1];
            unsafe { $pip(&mut out, ap.as_ptr(), ps.len(), sp.as_ptr(), 255, scratch.as_mut_ptr()) };
            Ok(to_raw(&out))
        }
    };
}

curve_group!(blst_p1, blst_p1_affine, 48, blst_p1_generator, blst_p1_add_or_double, blst_p1_mult,
    blst_p1_cneg, blst_p1_is_equal, blst_p1_is_inf, blst_p1_to_affine, blst_p1_from_affine,
    blst_p1_compress, blst_p1_uncompress, blst_p1_affine_in_g1, blst_hash_to_g1,
    blst_p1_add_or_double_affine,
    blst_p1s_mult_pippenger_scratch_sizeof, blst_p1s_mult_pippenger, blst_p1s_to_affine,
    g1_generator, g1_identity, g1_add, g1_neg, g1_mul, g1_eq, g1_is_identity, g1_to_bytes,
    g1_from_bytes, g1_hash_to_curve, g1_table, g1_table_mul, g1_msm);

curve_group!(blst_p2, blst_p2_affine, 96, blst_p2_generator, blst_p2_add_or_double, blst_p2_mult,
    blst_p2_cneg, blst_p2_is_equal, blst_p2_is_inf, blst_p2_to_affine, blst_p2_from_affine,
    blst_p2_compress, blst_p2_uncompress, blst_p2_affine_in_g2, blst_hash_to_g2,
    blst_p2_add_or_double_affine,
    blst_p2s_mult_pippenger_scratch_sizeof, blst_p2s_mult_pippenger, blst_p2s_to_affine,
    g2_generator, g2_identity, g2_add, g2_neg, g2_mul, g2_eq, g2_is_identity, g2_to_bytes,
    g2_from_bytes, g2_hash_to_curve, g2_table, g2_table_mul, g2_msm);

// ---- G_T -------------------------------------------------------------------------------

const FP12_BYTES: usize = 576;
/// Window of the fixed-base G_T table: 64 windows of 4 bits, 15 odd-and-even multiples each.
const GT_WINDOWS: usize = 64;
const GT_DIGITS: usize = 16;

fn fp12_coeffs(f: &blst_fp12) -> [&blst_fp; 12] {
    let mut out: [&blst_fp; 12] = [&f.fp6[0].fp2[0].fp[0]; 12];
    let mut i = 0;
    for c6 in 0..2 {
        for c2 in 0..3 {
            for c in 0..2 {
                out[i] = &f.fp6[c6].fp2[c2].fp[c];
                i += 1;
            }
        }
    }
    out
}

fn gt_one_raw() -> blst_fp12 {
    unsafe { *blst_fp12_one() }
}

/// The identity of G_T.
#[napi]
pub fn gt_one() -> Buffer {
    to_raw(&gt_one_raw())
}

#[napi]
pub fn gt_mul(a: Buffer, b: Buffer) -> Result<Buffer> {
    let (a, b): (blst_fp12, blst_fp12) = (from_raw(&a)?, from_raw(&b)?);
    let mut out = blst_fp12::default();
    unsafe { blst_fp12_mul(&mut out, &a, &b) };
    Ok(to_raw(&out))
}

/// Inverse in G_T: the conjugate, since G_T lies in the cyclotomic subgroup.
#[napi]
pub fn gt_inv(a: Buffer) -> Result<Buffer> {
    let mut a: blst_fp12 = from_raw(&a)?;
    unsafe { blst_fp12_conjugate(&mut a) };
    Ok(to_raw(&a))
}

#[napi]
pub fn gt_eq(a: Buffer, b: Buffer) -> Result<bool> {
    let (a, b): (blst_fp12, blst_fp12) = (from_raw(&a)?, from_raw(&b)?);
    Ok(unsafe { blst_fp12_is_equal(&a, &b) })
}

/// Exponentiation by a scalar, through blstrs' G_T group law.
#[napi]
pub fn gt_pow(a: Buffer, s: Buffer) -> Result<Buffer> {
    let a: blst_fp12 = from_raw(&a)?;
    let le = scalar_le(&s)?;
    let sc = Option::<blstrs::Scalar>::from(blstrs::Scalar::from_bytes_le(&le))
        .ok_or_else(|| invalid("scalar"))?;
    // SAFETY: blstrs::Gt is repr(transparent) over Fp12, itself repr(transparent) over blst_fp12.
    let g: blstrs::Gt = unsafe { std::mem::transmute::<blst_fp12, blstrs::Gt>(a) };
    let r = g * sc;
    let out: blst_fp12 = unsafe { std::mem::transmute::<blstrs::Gt, blst_fp12>(r) };
    Ok(to_raw(&out))
}

/// Canonical encoding: the twelve Fp coefficients, each 48 bytes big-endian, in tower order
/// (c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1) for Fp12 = Fp6[w], Fp6 = Fp2[v], Fp2 = Fp[u].
#[napi]
pub fn gt_to_bytes(a: Buffer) -> Result<Buffer> {
    let a: blst_fp12 = from_raw(&a)?;
    let mut out = vec![0u8; FP12_BYTES];
    for (i, c) in fp12_coeffs(&a).iter().enumerate() {
        unsafe { blst_bendian_from_fp(out[i * 48..].as_mut_ptr(), *c) };
    }
    Ok(Buffer::from(out))
}

/// Decodes a canonical G_T element; null unless every coefficient is below p and the element
/// lies in the order-r subgroup.
#[napi]
pub fn gt_from_bytes(b: Buffer) -> Option<Buffer> {
    if b.len() != FP12_BYTES {
        return None;
    }
    let mut f = blst_fp12::default();
    for c6 in 0..2 {
        for c2 in 0..3 {
            for c in 0..2 {
                let i = (c6 * 3 + c2) * 2 + c;
                unsafe { blst_fp_from_bendian(&mut f.fp6[c6].fp2[c2].fp[c], b[i * 48..].as_ptr()) };
            }
        }
    }
    let mut again = [0u8; 48];
    for (i, c) in fp12_coeffs(&f).iter().enumerate() {
        unsafe { blst_bendian_from_fp(again.as_mut_ptr(), *c) };
        if again[..] != b[i * 48..(i + 1) * 48] {
            return None;
        }
    }
    if !unsafe { blst_fp12_in_group(&f) } {
        return None;
    }
    Some(to_raw(&f))
}

/// Fixed-base table for exponentiations of one G_T element: base^(d·16^i) for every window i
/// and digit d, so an exponentiation costs 63 multiplications and no squarings.
#[napi]
pub fn gt_table(a: Buffer) -> Result<Buffer> {
    let a: blst_fp12 = from_raw(&a)?;
    let mut table = vec![blst_fp12::default(); GT_WINDOWS * GT_DIGITS];
    let mut base = a;
    for w in 0..GT_WINDOWS {
        table[w * GT_DIGITS] = gt_one_raw();
        for d in 1..GT_DIGITS {
            let mut t = blst_fp12::default();
            unsafe { blst_fp12_mul(&mut t, &table[w * GT_DIGITS + d - 1], &base) };
            table[w * GT_DIGITS + d] = t;
        }
        for _ in 0..4 {
            let mut t = blst_fp12::default();
            unsafe { blst_fp12_cyclotomic_sqr(&mut t, &base) };
            base = t;
        }
    }
    let s = unsafe {
        std::slice::from_raw_parts(table.as_ptr() as *const u8, table.len() * size_of::<blst_fp12>())
    };
    Ok(Buffer::from(s.to_vec()))
}

fn gt_table_pow_raw(table: &[u8], le: &[u8; 32]) -> Result<blst_fp12> {
    if table.len() != GT_WINDOWS * GT_DIGITS * size_of::<blst_fp12>() {
        return Err(invalid("not a G_T table"));
    }
    let mut acc = gt_one_raw();
    for w in 0..GT_WINDOWS {
        let d = ((le[w / 2] >> ((w % 2) * 4)) & 0x0f) as usize;
        let row = &table[w * GT_DIGITS * FP12_BYTES..(w + 1) * GT_DIGITS * FP12_BYTES];
        let e: blst_fp12 = ct_select(row, GT_DIGITS, d);
        let mut t = blst_fp12::default();
        unsafe { blst_fp12_mul(&mut t, &acc, &e) };
        acc = t;
    }
    Ok(acc)
}

/// base^s from a `gt_table` (63 multiplications; entries picked by constant-time scans).
#[napi]
pub fn gt_table_pow(table: Buffer, s: Buffer) -> Result<Buffer> {
    let le = scalar_le(&s)?;
    Ok(to_raw(&gt_table_pow_raw(&table, &le)?))
}

/// Π base_i^s_i over several fixed-base tables (one call for a whole ciphertext row set).
#[napi]
pub fn gt_tables_pow_product(tables: Vec<Buffer>, scalars: Buffer) -> Result<Buffer> {
    let ss = scalars_le(&scalars)?;
    if ss.len() != tables.len() {
        return Err(invalid("tables and scalars differ in length"));
    }
    let mut acc = gt_one_raw();
    for (t, s) in tables.iter().zip(ss.iter()) {
        let e = gt_table_pow_raw(t, s)?;
        let mut m = blst_fp12::default();
        unsafe { blst_fp12_mul(&mut m, &acc, &e) };
        acc = m;
    }
    Ok(to_raw(&acc))
}

// ---- pairings --------------------------------------------------------------------------

const LINES: usize = 68;

fn p1_affs(b: &[u8]) -> Result<Vec<blst_p1_affine>> {
    let ps: Vec<blst_p1> = raw_vec(b)?;
    Ok(ps
        .iter()
        .map(|p| {
            let mut a = blst_p1_affine::default();
            unsafe { blst_p1_to_affine(&mut a, p) };
            a
        })
        .collect())
}

fn p2_affs(b: &[u8]) -> Result<Vec<blst_p2_affine>> {
    let ps: Vec<blst_p2> = raw_vec(b)?;
    Ok(ps
        .iter()
        .map(|p| {
            let mut a = blst_p2_affine::default();
            unsafe { blst_p2_to_affine(&mut a, p) };
            a
        })
        .collect())
}

/// Precomputes the Miller-loop lines of a G2 point (blst_precompute_lines). The identity
/// has no lines and is encoded as an empty buffer, which contributes 1 to any product.
#[napi]
pub fn g2_prepare(q: Buffer) -> Result<Buffer> {
    let q: blst_p2 = from_raw(&q)?;
    if unsafe { blst_p2_is_inf(&q) } {
        return Ok(Buffer::from(Vec::new()));
    }
    let mut aff = blst_p2_affine::default();
    unsafe { blst_p2_to_affine(&mut aff, &q) };
    let mut lines = vec![blst_fp6::default(); LINES];
    unsafe { blst_precompute_lines(lines.as_mut_ptr(), &aff) };
    let s = unsafe {
        std::slice::from_raw_parts(lines.as_ptr() as *const u8, LINES * size_of::<blst_fp6>())
    };
    Ok(Buffer::from(s.to_vec()))
}

fn miller_product(
    prepared_g1: &[u8],
    prepared_g2: &[Buffer],
    g1: &[u8],
    g2: &[u8],
) -> Result<blst_fp12> {
    let pa = p1_affs(prepared_g1)?;
    if pa.len() != prepared_g2.len() {
        return Err(invalid("prepared pairs differ in length"));
    }
    let (a1, a2) = (p1_affs(g1)?, p2_affs(g2)?);
    if a1.len() != a2.len() {
        return Err(invalid("pairs differ in length"));
    }
    let mut acc = gt_one_raw();
    for (p, lines) in pa.iter().zip(prepared_g2.iter()) {
        if lines.is_empty() {
            continue;
        }
        if lines.len() != LINES * size_of::<blst_fp6>() {
            return Err(invalid("not a prepared G2 point"));
        }
        if unsafe { blst_p1_affine_is_inf(p) } {
            continue;
        }
        let mut lines_al = vec![blst_fp6::default(); LINES];
        // SAFETY: copy into an aligned buffer of exactly LINES fp6 values.
        unsafe {
            std::ptr::copy_nonoverlapping(lines.as_ptr(), lines_al.as_mut_ptr() as *mut u8, lines.len())
        };
        let mut f = blst_fp12::default();
        unsafe { blst_miller_loop_lines(&mut f, lines_al.as_ptr(), p) };
        let mut m = blst_fp12::default();
        unsafe { blst_fp12_mul(&mut m, &acc, &f) };
        acc = m;
    }
    let keep: Vec<usize> = (0..a1.len())
        .filter(|&i| unsafe { !blst_p1_affine_is_inf(&a1[i]) && !blst_p2_affine_is_inf(&a2[i]) })
        .collect();
    if !keep.is_empty() {
        let ps: Vec<*const blst_p1_affine> = keep.iter().map(|&i| &a1[i] as *const _).collect();
        let qs: Vec<*const blst_p2_affine> = keep.iter().map(|&i| &a2[i] as *const _).collect();
        let mut f = blst_fp12::default();
        unsafe { blst_miller_loop_n(&mut f, qs.as_ptr(), ps.as_ptr(), keep.len()) };
        let mut m = blst_fp12::default();
        unsafe { blst_fp12_mul(&mut m, &acc, &f) };
        acc = m;
    }
    Ok(acc)
}

/// The product of Miller loops over prepared pairs (G1 point, prepared G2 lines) and plain
/// pairs (G1 point, G2 point), without the final exponentiation.
#[napi]
pub fn miller_loop(prepared_g1: Buffer, prepared_g2: Vec<Buffer>, g1: Buffer, g2: Buffer) -> Result<Buffer> {
    Ok(to_raw(&miller_product(&prepared_g1, &prepared_g2, &g1, &g2)?))
}

#[napi]
pub fn final_exp(f: Buffer) -> Result<Buffer> {
    let f: blst_fp12 = from_raw(&f)?;
    let mut out = blst_fp12::default();
    unsafe { blst_final_exp(&mut out, &f) };
    Ok(to_raw(&out))
}

/// Π e(P_i, Q_i) over prepared and plain pairs with one shared final exponentiation.
#[napi]
pub fn pairing_product(prepared_g1: Buffer, prepared_g2: Vec<Buffer>, g1: Buffer, g2: Buffer) -> Result<Buffer> {
    let f = miller_product(&prepared_g1, &prepared_g2, &g1, &g2)?;
    let mut out = blst_fp12::default();
    unsafe { blst_final_exp(&mut out, &f) };
    Ok(to_raw(&out))
}
