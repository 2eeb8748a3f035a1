// A Go program doing real work under GOOS=wasip1: it builds a map of word counts over
// generated text, sorts the words by count, hashes the text with crypto/sha256, encodes and
// decodes JSON, and grows big integers; each step checks its result, and a wrong one exits 1.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"
)

func fail(what string) {
	fmt.Fprintln(os.Stderr, "gowork: wrong result:", what)
	os.Exit(1)
}

type entry struct {
	Word  string `json:"word"`
	Count int    `json:"count"`
}

func main() {
	words := []string{"wasm", "module", "runtime", "memory", "table", "global", "func", "trap",
		"store", "engine", "linker", "instance", "export", "import", "fuel", "epoch"}
	// xorshift, so the text is the same natively and in wasm
	state := uint64(88172645463325252)
	next := func() uint64 {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return state
	}
	var sb strings.Builder
	want := make(map[string]int)
	for i := 0; i < 1_500_000; i++ {
		w := words[next()%uint64(len(words))]
		if next()%8 == 0 {
			w = fmt.Sprintf("%s%d", w, next()%1000)
		}
		want[w]++
		sb.WriteString(w)
		sb.WriteByte(' ')
	}
	text := sb.String()

	counts := make(map[string]int)
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	if len(counts) != len(want) {
		fail("distinct words")
	}
	entries := make([]entry, 0, len(counts))
	for w, c := range counts {
		if want[w] != c {
			fail("count of " + w)
		}
		entries = append(entries, entry{w, c})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Count != entries[j].Count {
			return entries[i].Count > entries[j].Count
		}
		return entries[i].Word < entries[j].Word
	})

	blob, err := json.Marshal(entries)
	if err != nil {
		fail(err.Error())
	}
	var back []entry
	if err := json.Unmarshal(blob, &back); err != nil || len(back) != len(entries) || back[0] != entries[0] {
		fail("json round trip")
	}

	sum := sha256.Sum256([]byte(text))
	var acc [32]byte
	for i := 0; i < 20; i++ {
		acc = sha256.Sum256(append(acc[:], sum[:]...))
	}
	if h := sha256.Sum256([]byte("abc")); hex.EncodeToString(h[:]) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		fail("sha256 test vector")
	}

	// 2000! has 5736 digits and 499 trailing zeros.
	f := big.NewInt(1)
	for i := int64(2); i <= 2000; i++ {
		f.Mul(f, big.NewInt(i))
	}
	digits := f.String()
	if len(digits) != 5736 || strings.TrimRight(digits, "0") != digits[:len(digits)-499] {
		fail("2000!")
	}

	fmt.Printf("gowork: %d words, %d distinct, top %s x%d, json %d bytes, sha256 %s\n",
		len(strings.Fields(text)), len(entries), entries[0].Word, entries[0].Count, len(blob), hex.EncodeToString(sum[:8]))
}
