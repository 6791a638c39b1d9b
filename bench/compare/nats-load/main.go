// nats-load: the NATS JetStream side of `npm run bench -- compare`, a native load generator
// on nats.go (Debian's golang-github-nats-io-go-nats-dev, built offline at bench time).
//
//	nats-load -url URL -mode produce  -n N -size BYTES [-window W]
//	nats-load -url URL -mode consume  -n N [-batch B]
//	nats-load -url URL -mode latency  -rate R -seconds S -warmup W -size BYTES
//
// Each mode (re)creates the stream BENCH (subject bench.s, file storage, one replica) as it
// needs it and prints one JSON object on stdout. produce: asynchronous publish with acks
// (PublishAsync, at most `window` unacknowledged), timed until every ack is in. consume: a
// durable pull consumer with AckNone (as Redis's NOACK and a Kafka consumer that commits
// nothing), Fetch(batch) until N messages, timed from the first fetch. latency: a paced
// publisher (every millisecond, the messages due) stamps each message with its send time;
// the consumer keeps pull requests outstanding on its own inbox (what newer clients'
// Messages() does), so each message is taken as it arrives rather than when a batch fills.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

const stream = "BENCH"
const subject = "bench.s"

// stall: how long a publish waits for room in the window of unacknowledged publishes
// (nats.go's default, 200 ms, fails the run on a busy machine).
var stall = nats.StallWait(30 * time.Second)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "nats-load:", err)
	os.Exit(1)
}

func freshStream(js nats.JetStreamContext) {
	_ = js.DeleteStream(stream)
	if _, err := js.AddStream(&nats.StreamConfig{Name: stream, Subjects: []string{subject}, Storage: nats.FileStorage, Replicas: 1}); err != nil {
		fail(err)
	}
}

func payload(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

func produce(js nats.JetStreamContext, n, size int) map[string]any {
	freshStream(js)
	data := payload(size)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := js.PublishAsync(subject, data, stall); err != nil {
			fail(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(5 * time.Minute):
		fail(fmt.Errorf("acks still pending: %d", js.PublishAsyncPending()))
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	info, err := js.StreamInfo(stream)
	if err != nil {
		fail(err)
	}
	if info.State.Msgs != uint64(n) {
		fail(fmt.Errorf("stream holds %d messages, published %d", info.State.Msgs, n))
	}
	return map[string]any{"ms": ms, "messages": n, "streamBytes": info.State.Bytes}
}

func consume(js nats.JetStreamContext, n, batch int) map[string]any {
	_ = js.DeleteConsumer(stream, "bench")
	sub, err := js.PullSubscribe(subject, "bench", nats.AckNone(), nats.BindStream(stream))
	if err != nil {
		fail(err)
	}
	got := 0
	start := time.Now()
	for got < n {
		msgs, err := sub.Fetch(batch, nats.MaxWait(5*time.Second))
		if err != nil {
			fail(fmt.Errorf("after %d of %d messages: %w", got, n, err))
		}
		got += len(msgs)
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	return map[string]any{"ms": ms, "messages": got}
}

func percentile(sorted []float64, p float64) float64 {
	i := int(p/100*float64(len(sorted))+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func latency(nc *nats.Conn, js nats.JetStreamContext, rate, seconds, warmup, size int) map[string]any {
	freshStream(js)
	if _, err := js.AddConsumer(stream, &nats.ConsumerConfig{Durable: "lat", AckPolicy: nats.AckNonePolicy, DeliverPolicy: nats.DeliverAllPolicy}); err != nil {
		fail(err)
	}
	total := rate * seconds
	samples := make([]float64, 0, total)
	var mu sync.Mutex
	done := make(chan struct{})
	const pull = 500
	inbox := nats.NewInbox()
	credit := 0
	request := func() {
		req, _ := json.Marshal(map[string]any{"batch": pull, "expires": int64(30 * time.Second)})
		if err := nc.PublishRequest("$JS.API.CONSUMER.MSG.NEXT."+stream+".lat", inbox, req); err != nil {
			fail(err)
		}
		credit += pull
	}
	_, err := nc.Subscribe(inbox, func(m *nats.Msg) {
		if len(m.Data) < 16 { // a status message (request expired): ask again
			request()
			return
		}
		at := time.Now().UnixNano()
		seq := binary.BigEndian.Uint64(m.Data[0:8])
		sent := int64(binary.BigEndian.Uint64(m.Data[8:16]))
		mu.Lock()
		if int(seq) >= rate*warmup {
			samples = append(samples, float64(at-sent)/1e6)
		}
		credit--
		if credit < pull/2 {
			request()
		}
		if int(seq) == total-1 {
			close(done)
		}
		mu.Unlock()
	})
	if err != nil {
		fail(err)
	}
	mu.Lock()
	request()
	request()
	mu.Unlock()
	pub, err := nats.Connect(nc.ConnectedUrl())
	if err != nil {
		fail(err)
	}
	pjs, _ := pub.JetStream(nats.PublishAsyncMaxPending(10000))
	data := payload(size)
	start := time.Now()
	sent := 0
	for sent < total {
		due := int(time.Since(start).Seconds() * float64(rate))
		if due > total {
			due = total
		}
		now := uint64(time.Now().UnixNano())
		for ; sent < due; sent++ {
			binary.BigEndian.PutUint64(data[0:8], uint64(sent))
			binary.BigEndian.PutUint64(data[8:16], now)
			if _, err := pjs.PublishAsync(subject, append([]byte(nil), data...), stall); err != nil {
				fail(err)
			}
		}
		time.Sleep(time.Millisecond)
	}
	sendSeconds := time.Since(start).Seconds()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		fail(fmt.Errorf("consumer saw %d samples of %d", len(samples), total-rate*warmup))
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Float64s(samples)
	return map[string]any{"measured": len(samples), "achievedRate": float64(total) / sendSeconds,
		"p50Ms": percentile(samples, 50), "p99Ms": percentile(samples, 99), "p999Ms": percentile(samples, 99.9), "maxMs": samples[len(samples)-1]}
}

func main() {
	url := flag.String("url", nats.DefaultURL, "NATS server URL")
	mode := flag.String("mode", "", "produce | consume | latency")
	n := flag.Int("n", 100000, "messages")
	size := flag.Int("size", 100, "message bytes")
	window := flag.Int("window", 4000, "most unacknowledged async publishes")
	batch := flag.Int("batch", 1000, "pull fetch batch")
	rate := flag.Int("rate", 10000, "latency: msgs/s")
	seconds := flag.Int("seconds", 6, "latency: seconds")
	warmup := flag.Int("warmup", 1, "latency: seconds left out")
	flag.Parse()
	nc, err := nats.Connect(*url)
	if err != nil {
		fail(err)
	}
	defer nc.Close()
	js, err := nc.JetStream(nats.PublishAsyncMaxPending(*window))
	if err != nil {
		fail(err)
	}
	var out map[string]any
	switch *mode {
	case "produce":
		out = produce(js, *n, *size)
	case "consume":
		out = consume(js, *n, *batch)
	case "latency":
		if *size < 16 {
			fail(fmt.Errorf("latency needs -size >= 16"))
		}
		out = latency(nc, js, *rate, *seconds, *warmup, *size)
	default:
		fail(fmt.Errorf("unknown -mode %q", *mode))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}
