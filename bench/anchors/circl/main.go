// Command circl-anchors measures Cloudflare CIRCL's TKN20 CP-ABE on this machine, so that
// Carechain's own MA-ABE figures can be compared with a native peer in the same benchmark run.
//
// It prints one JSON document on stdout (see README.md for the shape) and progress on stderr.
// Every figure is a median of wall-clock times of single operations on one goroutine. Each
// attribute count is also checked for correctness once (the full key decrypts, a key missing
// one attribute does not), so that a broken build can never report numbers.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflare/circl/abe/cpabe/tkn20"
	"github.com/cloudflare/circl/ecc/bls12381"
)

const circlModule = "github.com/cloudflare/circl"

// row is one attribute count's medians, in the shape bench/crypto compares against. The
// *_cpu_ms fields are medians of the benchmark thread's own CPU time over the same runs; they
// are left out where the OS offers no per-thread clock.
type row struct {
	Attributes           int      `json:"attributes"`
	EncryptMs            float64  `json:"encrypt_ms"`
	DecryptMs            float64  `json:"decrypt_ms"`
	KeygenMs             float64  `json:"keygen_ms"`
	KeygenMsPerAttribute float64  `json:"keygen_ms_per_attribute"`
	EncryptCPUMs         *float64 `json:"encrypt_cpu_ms,omitempty"`
	DecryptCPUMs         *float64 `json:"decrypt_cpu_ms,omitempty"`
	KeygenCPUMs          *float64 `json:"keygen_cpu_ms,omitempty"`
	Iterations           int      `json:"iterations"`
	CiphertextBytes      int      `json:"ciphertext_bytes"`
	Policy               string   `json:"policy"`
}

// primitives are single BLS12-381 operations timed in the same process, so that every ABE
// figure can be read in pairing-equivalents. CIRCL exports Pair and ProdPairFrac but not the
// Miller loop or the final exponentiation, so those two are derived (see README.md).
type primitives struct {
	PairingMs           float64  `json:"pairing_ms"`
	PairingCPUMs        *float64 `json:"pairing_cpu_ms,omitempty"`
	MillerLoopMsDerived *float64 `json:"miller_loop_ms_derived,omitempty"`
	FinalExpMsDerived   *float64 `json:"final_exp_ms_derived,omitempty"`
	ProdPair10Ms        float64  `json:"prod_pair_10_ms"`
	G1MulMs             float64  `json:"g1_mul_ms"`
	G2MulMs             float64  `json:"g2_mul_ms"`
	GtExpMs             float64  `json:"gt_exp_ms"`
}

type report struct {
	Peer          string     `json:"peer"`
	Scheme        string     `json:"scheme"`
	Module        string     `json:"module"`
	ModuleVersion string     `json:"module_version"`
	Curve         string     `json:"curve"`
	GoVersion     string     `json:"go_version"`
	GOMAXPROCS    int        `json:"gomaxprocs"`
	MessageBytes  int        `json:"message_bytes"`
	Primitives    primitives `json:"primitives"`
	Results       []row      `json:"results"`
}

// budget bounds how long one operation is repeated, so a whole run stays within minutes on a
// loaded 2-core machine while still giving at least minIterations samples.
type budget struct {
	maxIterations int
	minIterations int
	perOperation  time.Duration
	// warmUp runs the operation once untimed first; off where a correctness check already
	// ran it, which saves seconds per operation at 50 attributes.
	warmUp bool
}

// timing is the median wall-clock and thread-CPU time of one operation, in milliseconds.
type timing struct {
	wallMs float64
	cpuMs  *float64
	runs   int
}

// measure runs op (after one untimed run if the budget asks for it) until the budget is
// spent, and returns the medians with the number of timed runs.
func measure(b budget, op func() error) (timing, error) {
	if b.warmUp {
		if err := op(); err != nil {
			return timing{}, err
		}
	}
	wall := make([]float64, 0, b.maxIterations)
	cpu := make([]float64, 0, b.maxIterations)
	cpuOK := true
	started := time.Now()
	for len(wall) < b.maxIterations {
		c0, ok0 := threadCPUNanos()
		t0 := time.Now()
		if err := op(); err != nil {
			return timing{}, err
		}
		wall = append(wall, float64(time.Since(t0).Nanoseconds())/1e6)
		c1, ok1 := threadCPUNanos()
		cpuOK = cpuOK && ok0 && ok1
		cpu = append(cpu, float64(c1-c0)/1e6)
		if len(wall) >= b.minIterations && time.Since(started) > b.perOperation {
			break
		}
	}
	t := timing{wallMs: median(wall), runs: len(wall)}
	if cpuOK {
		c := round(median(cpu))
		t.cpuMs = &c
	}
	return t, nil
}

func median(samples []float64) float64 {
	sort.Float64s(samples)
	n := len(samples)
	if n%2 == 1 {
		return samples[n/2]
	}
	return (samples[n/2-1] + samples[n/2]) / 2
}

// wallMs is measure reduced to its wall-clock median, for the primitives.
func wallMs(b budget, op func() error) (float64, error) {
	t, err := measure(b, op)
	return t.wallMs, err
}

// attributeNames returns n distinct label:value pairs; TKN20 attributes are such pairs.
func attributeNames(n int) map[string]string {
	m := make(map[string]string, n)
	for i := 0; i < n; i++ {
		m["attr"+strconv.Itoa(i)] = "v" + strconv.Itoa(i)
	}
	return m
}

// andPolicy is the AND of all n attributes, the shape Carechain's MA-ABE is compared on.
func andPolicy(n int) string {
	terms := make([]string, n)
	for i := 0; i < n; i++ {
		terms[i] = "attr" + strconv.Itoa(i) + ":v" + strconv.Itoa(i)
	}
	return strings.Join(terms, " and ")
}

func measureTkn20(n int, b budget, msg []byte) (row, error) {
	pk, msk, err := tkn20.Setup(rand.Reader)
	if err != nil {
		return row{}, fmt.Errorf("setup: %w", err)
	}
	policyText := andPolicy(n)
	var policy tkn20.Policy
	if err := policy.FromString(policyText); err != nil {
		return row{}, fmt.Errorf("policy %q: %w", policyText, err)
	}
	var attrs tkn20.Attributes
	attrs.FromMap(attributeNames(n))

	key, err := msk.KeyGen(rand.Reader, attrs)
	if err != nil {
		return row{}, fmt.Errorf("keygen: %w", err)
	}
	ct, err := pk.Encrypt(rand.Reader, policy, msg)
	if err != nil {
		return row{}, fmt.Errorf("encrypt: %w", err)
	}
	if err := checkCorrectness(n, msk, key, ct, msg); err != nil {
		return row{}, err
	}

	keygen, err := measure(b, func() error { _, e := msk.KeyGen(rand.Reader, attrs); return e })
	if err != nil {
		return row{}, fmt.Errorf("keygen: %w", err)
	}
	encrypt, err := measure(b, func() error { _, e := pk.Encrypt(rand.Reader, policy, msg); return e })
	if err != nil {
		return row{}, fmt.Errorf("encrypt: %w", err)
	}
	decrypt, err := measure(b, func() error { _, e := key.Decrypt(ct); return e })
	if err != nil {
		return row{}, fmt.Errorf("decrypt: %w", err)
	}
	return row{
		Attributes:           n,
		EncryptMs:            round(encrypt.wallMs),
		DecryptMs:            round(decrypt.wallMs),
		KeygenMs:             round(keygen.wallMs),
		KeygenMsPerAttribute: round(keygen.wallMs / float64(n)),
		EncryptCPUMs:         encrypt.cpuMs,
		DecryptCPUMs:         decrypt.cpuMs,
		KeygenCPUMs:          keygen.cpuMs,
		Iterations:           min(keygen.runs, encrypt.runs, decrypt.runs),
		CiphertextBytes:      len(ct),
		Policy:               policyText,
	}, nil
}

// checkCorrectness refuses to report figures for a build whose decryption does not round-trip
// or whose policy check lets a key with one attribute too few through.
func checkCorrectness(n int, msk tkn20.SystemSecretKey, key tkn20.AttributeKey, ct, msg []byte) error {
	got, err := key.Decrypt(ct)
	if err != nil {
		return fmt.Errorf("decrypt with a satisfying key failed: %w", err)
	}
	if !bytes.Equal(got, msg) {
		return errors.New("decrypt with a satisfying key returned a different message")
	}
	// All attributes but the last, plus one the policy does not mention (never an empty key).
	partial := attributeNames(n)
	delete(partial, "attr"+strconv.Itoa(n-1))
	partial["unrelated"] = "v"
	var fewer tkn20.Attributes
	fewer.FromMap(partial)
	weak, err := msk.KeyGen(rand.Reader, fewer)
	if err != nil {
		return fmt.Errorf("keygen for the rejection check: %w", err)
	}
	if _, err := weak.Decrypt(ct); err == nil {
		return errors.New("a key missing one attribute decrypted an AND policy")
	}
	return nil
}

func randomScalar() *bls12381.Scalar {
	s := new(bls12381.Scalar)
	if err := s.Random(rand.Reader); err != nil {
		panic(err)
	}
	return s
}

func randomG1() *bls12381.G1 {
	p := new(bls12381.G1)
	p.ScalarMult(randomScalar(), bls12381.G1Generator())
	return p
}

func randomG2() *bls12381.G2 {
	q := new(bls12381.G2)
	q.ScalarMult(randomScalar(), bls12381.G2Generator())
	return q
}

// measurePrimitives times BLS12-381 operations. The Miller loop is derived as the marginal
// cost of one more pair in ProdPairFrac (k pairs share one final exponentiation), and the
// final exponentiation as one pairing minus that Miller loop.
func measurePrimitives(b budget) (primitives, error) {
	const pairs = 10
	ps := make([]*bls12381.G1, pairs)
	qs := make([]*bls12381.G2, pairs)
	signs := make([]int, pairs)
	for i := range ps {
		ps[i], qs[i], signs[i] = randomG1(), randomG2(), 1
	}
	var out primitives
	pair, err := measure(b, func() error { bls12381.Pair(ps[0], qs[0]); return nil })
	if err != nil {
		return out, err
	}
	out.PairingMs, out.PairingCPUMs = pair.wallMs, pair.cpuMs
	one, err := measure(b, func() error { bls12381.ProdPairFrac(ps[:1], qs[:1], signs[:1]); return nil })
	if err != nil {
		return out, err
	}
	ten, err := measure(b, func() error { bls12381.ProdPairFrac(ps, qs, signs); return nil })
	if err != nil {
		return out, err
	}
	out.ProdPair10Ms = round(ten.wallMs)
	// Derived from thread-CPU medians where the OS has them: wall-clock differences of this
	// size drown in scheduling noise on a shared machine. An inconsistent (non-positive)
	// result is left out rather than reported.
	useCPU := pair.cpuMs != nil && one.cpuMs != nil && ten.cpuMs != nil
	ms := func(t timing) float64 {
		if useCPU {
			return *t.cpuMs
		}
		return t.wallMs
	}
	miller := (ms(ten) - ms(one)) / float64(pairs-1)
	if final := ms(pair) - miller; miller > 0 && final > 0 {
		m, f := round(miller), round(final)
		out.MillerLoopMsDerived, out.FinalExpMsDerived = &m, &f
	}
	out.PairingMs = round(out.PairingMs)

	k := randomScalar()
	g1, g2 := new(bls12381.G1), new(bls12381.G2)
	gt := bls12381.Pair(ps[1], qs[1])
	r := new(bls12381.Gt)
	t, _ := wallMs(b, func() error { g1.ScalarMult(k, ps[2]); return nil })
	out.G1MulMs = round(t)
	t, _ = wallMs(b, func() error { g2.ScalarMult(k, qs[2]); return nil })
	out.G2MulMs = round(t)
	t, _ = wallMs(b, func() error { r.Exp(gt, k); return nil })
	out.GtExpMs = round(t)
	return out, nil
}

func round(ms float64) float64 { return float64(int64(ms*1000+0.5)) / 1000 }

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 1000 {
			return nil, fmt.Errorf("attribute count %q is not an integer in [1, 1000]", part)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func circlVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == circlModule {
				return dep.Version
			}
		}
	}
	return "unknown"
}

func run() error {
	sizesFlag := flag.String("attributes", "1,5,10,20,50", "comma-separated attribute counts")
	iterations := flag.Int("iterations", 30, "maximum timed runs per operation (fewer above 10 attributes)")
	perOpMs := flag.Int("op-budget-ms", 1500, "stop repeating an operation after this long (at least 3 runs)")
	msgBytes := flag.Int("message-bytes", 32, "plaintext size; 32 bytes is a data key, as in Carechain's C2")
	flag.Parse()
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		return err
	}
	if *iterations < 1 || *perOpMs < 1 || *msgBytes < 1 {
		return errors.New("-iterations, -op-budget-ms and -message-bytes must be positive")
	}
	msg := make([]byte, *msgBytes)
	if _, err := rand.Read(msg); err != nil {
		return err
	}

	base := budget{maxIterations: *iterations, minIterations: min(3, *iterations), perOperation: time.Duration(*perOpMs) * time.Millisecond}
	rep := report{
		Peer: "circl_tkn20", Scheme: "tkn20 (CCA variant)", Module: circlModule, ModuleVersion: circlVersion(),
		Curve: "BLS12-381", GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), MessageBytes: *msgBytes,
	}
	fmt.Fprintln(os.Stderr, "[circl] primitives")
	if rep.Primitives, err = measurePrimitives(budget{maxIterations: 4 * *iterations, minIterations: base.minIterations, perOperation: base.perOperation, warmUp: true}); err != nil {
		return err
	}
	for _, n := range sizes {
		b := base
		if n > 10 {
			// Large policies cost proportionally more per run; fewer runs keep the total bounded.
			b.maxIterations = max(base.minIterations, base.maxIterations*10/n)
		}
		fmt.Fprintf(os.Stderr, "[circl] tkn20 %d attributes\n", n)
		r, err := measureTkn20(n, b, msg)
		if err != nil {
			return fmt.Errorf("tkn20 at %d attributes: %w", n, err)
		}
		rep.Results = append(rep.Results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// init pins the main goroutine to one OS thread, so the per-thread CPU clock covers exactly
// the benchmarked work.
func init() { runtime.LockOSThread() }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "circl-anchors:", err)
		os.Exit(1)
	}
}
