/*
 * rdkafka-load: the Kafka load generator of `npm run bench -- compare`, on librdkafka.
 * Built at bench time (cc -O2 load.c -lrdkafka, Debian's librdkafka-dev). One JSON line on
 * stdout; a non-zero exit on any error.
 *
 *   produce <brokers> <topic> <count> <valueBytes> [k=v ...]
 *     One producer, N copies of one value prebuilt once (no copy, no allocation per message
 *     in this program), no key: librdkafka's default partitioner spreads them over the
 *     partitions (consistent_random: random for a null key), as kcat -P did. Delivery
 *     reports are polled as it goes; timed from the first produce to the end of the flush
 *     (every message acknowledged). {"messages","ms","errors"}; exits 1 on a delivery error.
 *   consume <brokers> <topic> <partitions> <expected> [k=v ...]
 *     Fetches the topic's metadata, then assigns partitions 0..P-1 from the beginning (a
 *     group.id, which librdkafka's consumer requires, but no subscribe and no commit) and
 *     polls until every partition reports its end (enable.partition.eof), as kcat -C -e.
 *     Timed from the client's creation (metadata and assign included) to the last end.
 *     {"messages","bytes","ms"}; exits 1 unless exactly `expected` messages were seen.
 *   latency <brokers> <topic> <rate> <seconds> <warmupSeconds> <valueBytes>
 *     Partition 0 of a fresh topic. A consumer thread (fetch.wait.max.ms=10) takes
 *     CLOCK_MONOTONIC now minus the stamp in each value; the main thread produces
 *     (acks=1, linger.ms=1) paced by absolute deadlines, stamping seq and send time into
 *     the value. The first warmupSeconds of messages are left out.
 *     {"measured","achievedRate","p50Ms","p99Ms","p999Ms","maxMs"} (nearest-rank).
 */
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char errstr[512];

static void fail(const char *what, const char *why) {
  fprintf(stderr, "rdkafka-load: %s: %s\n", what, why);
  exit(1);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
  if (rd_kafka_conf_set(conf, key, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) fail(key, errstr);
}

/** Applies k=v arguments to conf. */
static void set_all(rd_kafka_conf_t *conf, int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq == NULL) fail(argv[i], "expected key=value");
    *eq = '\0';
    set(conf, argv[i], eq + 1);
  }
}

static rd_kafka_t *client(rd_kafka_type_t type, rd_kafka_conf_t *conf) {
  rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
  if (rk == NULL) fail("rd_kafka_new", errstr);
  return rk;
}

/* ---- produce ---- */

static long delivered, delivery_errors;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  (void)opaque;
  if (m->err) {
    if (delivery_errors++ == 0) fprintf(stderr, "rdkafka-load: delivery: %s\n", rd_kafka_err2str(m->err));
  } else {
    delivered++;
  }
}

static int produce(int argc, char **argv) {
  if (argc < 4) fail("produce", "<brokers> <topic> <count> <valueBytes> [k=v ...]");
  long count = atol(argv[2]);
  size_t value_bytes = (size_t)atol(argv[3]);
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", argv[0]);
  set_all(conf, argc - 4, argv + 4);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, conf);
  /* Lives to the end of the program: librdkafka may reference it without a copy. */
  char *value = malloc(value_bytes);
  for (size_t i = 0; i < value_bytes; i++) value[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
  int64_t start = now_ns();
  for (long i = 0; i < count;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(argv[1]), RD_KAFKA_V_VALUE(value, value_bytes), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 1);
      continue;
    }
    if (err) fail("produce", rd_kafka_err2str(err));
    if (++i % 1024 == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_resp_err_t flushed = rd_kafka_flush(rk, 120 * 1000);
  int64_t end = now_ns();
  if (flushed) fail("flush", rd_kafka_err2str(flushed));
  printf("{\"messages\":%ld,\"ms\":%.3f,\"errors\":%ld}\n", delivered, (end - start) / 1e6, delivery_errors);
  rd_kafka_destroy(rk);
  return delivery_errors == 0 && delivered == count ? 0 : 1;
}

/* ---- consume ---- */

/** A consumer assigned partitions 0..partitions-1 of topic from the beginning; conf's other settings given. */
static rd_kafka_t *consumer(rd_kafka_conf_t *conf, const char *brokers, const char *topic, int partitions) {
  set(conf, "bootstrap.servers", brokers);
  set(conf, "group.id", "rdkafka-load");
  set(conf, "enable.auto.commit", "false");
  set(conf, "enable.auto.offset.store", "false");
  rd_kafka_t *rk = client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(rk);
  /* Leaders known before the assign: else librdkafka retries the offset query on a 500 ms timer. */
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
  const struct rd_kafka_metadata *metadata;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &metadata, 10 * 1000);
  if (err) fail("metadata", rd_kafka_err2str(err));
  rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; p++) rd_kafka_topic_partition_list_add(list, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  err = rd_kafka_assign(rk, list);
  if (err) fail("assign", rd_kafka_err2str(err));
  rd_kafka_topic_partition_list_destroy(list);
  return rk;
}

static int consume(int argc, char **argv) {
  if (argc < 4) fail("consume", "<brokers> <topic> <partitions> <expected> [k=v ...]");
  int partitions = atoi(argv[2]);
  long expected = atol(argv[3]);
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "enable.partition.eof", "true");
  set_all(conf, argc - 4, argv + 4);
  int64_t start = now_ns();
  rd_kafka_t *rk = consumer(conf, argv[0], argv[1], partitions);
  char *ended = calloc((size_t)partitions, 1);
  int ends = 0;
  long messages = 0, bytes = 0;
  while (ends < partitions) {
    /* One message per call: rd_kafka_consume_batch_queue waits for a full batch or its timeout. */
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 1000);
    if (m == NULL) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (m->partition >= 0 && m->partition < partitions && !ended[m->partition]) {
        ended[m->partition] = 1;
        ends++;
      }
    } else if (m->err) {
      fail("consume", rd_kafka_message_errstr(m));
    } else {
      messages++;
      bytes += (long)m->len;
    }
    rd_kafka_message_destroy(m);
  }
  int64_t end = now_ns();
  printf("{\"messages\":%ld,\"bytes\":%ld,\"ms\":%.3f}\n", messages, bytes, (end - start) / 1e6);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  if (messages != expected) {
    fprintf(stderr, "rdkafka-load: consumed %ld messages, expected %ld\n", messages, expected);
    return 1;
  }
  return 0;
}

/* ---- latency ---- */

struct probe {
  rd_kafka_t *consumer;
  long total, warmup, measured;
  volatile long seen; /* read by the main thread while waiting */
  double *samples_ms;
  int64_t first_sent, last_sent;
  volatile int stop;
};

static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | p[i];
  return v;
}

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static void *receive(void *arg) {
  struct probe *pr = arg;
  while (pr->seen < pr->total && !pr->stop) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(pr->consumer, 100);
    if (m == NULL) continue;
    int64_t at = now_ns();
    if (m->err) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) fail("latency consume", rd_kafka_message_errstr(m));
    } else if (m->len >= 16) {
      long seq = (long)get64(m->payload);
      int64_t sent = (int64_t)get64((unsigned char *)m->payload + 8);
      pr->seen++;
      if (seq >= pr->warmup && pr->measured < pr->total - pr->warmup) {
        if (pr->measured == 0) pr->first_sent = sent;
        pr->last_sent = sent;
        pr->samples_ms[pr->measured++] = (at - sent) / 1e6;
      }
    }
    rd_kafka_message_destroy(m);
  }
  return NULL;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double percentile(const double *sorted, long n, double p) {
  long i = (long)((p / 100) * n + 0.999999999) - 1;
  return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static int latency(int argc, char **argv) {
  if (argc < 6) fail("latency", "<brokers> <topic> <rate> <seconds> <warmupSeconds> <valueBytes>");
  long rate = atol(argv[2]), seconds = atol(argv[3]), warmup_seconds = atol(argv[4]);
  size_t value_bytes = (size_t)atol(argv[5]);
  if (value_bytes < 16) fail("latency", "valueBytes must be >= 16");
  struct probe pr = {.total = rate * seconds, .warmup = rate * warmup_seconds};
  pr.samples_ms = malloc(sizeof(double) * (size_t)(pr.total - pr.warmup));
  rd_kafka_conf_t *consumer_conf = rd_kafka_conf_new();
  set(consumer_conf, "fetch.wait.max.ms", "10");
  pr.consumer = consumer(consumer_conf, argv[0], argv[1], 1);
  pthread_t thread;
  pthread_create(&thread, NULL, receive, &pr);

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", argv[0]);
  set(conf, "acks", "1");
  set(conf, "linger.ms", "1");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *producer = client(RD_KAFKA_PRODUCER, conf);
  unsigned char *value = calloc(value_bytes, 1);
  int64_t start = now_ns();
  for (long seq = 0; seq < pr.total; seq++) {
    int64_t due = start + seq * 1000000000 / rate;
    struct timespec ts = {.tv_sec = due / 1000000000, .tv_nsec = due % 1000000000};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
    put64(value, (uint64_t)seq);
    put64(value + 8, (uint64_t)now_ns());
    rd_kafka_resp_err_t err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(argv[1]), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE(value, value_bytes), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err) fail("latency produce", rd_kafka_err2str(err));
    rd_kafka_poll(producer, 0);
  }
  rd_kafka_flush(producer, 30 * 1000);
  for (int64_t deadline = now_ns() + 30 * 1000000000LL; pr.seen < pr.total && now_ns() < deadline;) {
    struct timespec ms = {.tv_nsec = 1000000};
    nanosleep(&ms, NULL);
  }
  pr.stop = 1;
  pthread_join(thread, NULL);
  if (delivery_errors || pr.seen < pr.total || pr.measured < 2) {
    fprintf(stderr, "rdkafka-load: latency: %ld delivery errors, %ld of %ld messages seen\n", delivery_errors, pr.seen, pr.total);
    return 1;
  }
  qsort(pr.samples_ms, (size_t)pr.measured, sizeof(double), by_value);
  long n = pr.measured;
  printf("{\"measured\":%ld,\"achievedRate\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}\n", n,
         (n - 1) * 1e9 / (double)(pr.last_sent - pr.first_sent), percentile(pr.samples_ms, n, 50), percentile(pr.samples_ms, n, 99),
         percentile(pr.samples_ms, n, 99.9), pr.samples_ms[n - 1]);
  rd_kafka_destroy(producer);
  rd_kafka_consumer_close(pr.consumer);
  rd_kafka_destroy(pr.consumer);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "produce") == 0) return produce(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "consume") == 0) return consume(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "latency") == 0) return latency(argc - 2, argv + 2);
  fprintf(stderr, "usage: rdkafka-load produce|consume|latency ...\n");
  return 2;
}
