/*
 * kafka-dev-broker: a Kafka-protocol broker for development and tests,
 * backed by librdkafka's in-process mock cluster (rdkafka_mock.h).
 *
 * Usage:
 *   kafka-dev-broker [--brokers N] [--topic NAME:PARTITIONS]...
 *                    [--topics-file PATH] [--control-port P] [--debug]
 *
 * Once ready it prints exactly two lines to stdout:
 *   BOOTSTRAP=<host:port,...>
 *   CONTROL=<port>
 * Everything else goes to stderr.
 *
 * The control port (127.0.0.1 only) takes one text command per line and
 * answers each with "OK" or "ERR <message>":
 *   ping
 *   down <brokerId|-1>                    rd_kafka_mock_broker_set_down
 *   up <brokerId|-1>                      rd_kafka_mock_broker_set_up
 *   leader <topic> <partition> <brokerId|-1>
 *   errors <apiKey> <count> <errorCode>   push count copies of errorCode
 *   clear <apiKey>                        drop pending injected errors
 *   rtt <brokerId|-1> <ms>                add response latency
 *   topic <name> <partitions>
 *
 * SIGTERM, SIGINT and SIGHUP destroy the cluster and exit 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_BROKERS 32
#define MAX_PARTITIONS 10000
#define MAX_ERROR_COUNT 10000
#define MAX_CLIENTS 64
#define LINE_CAP 1024
#define TOPIC_NAME_MAX 249

struct topic_spec {
        char *name;
        int partitions;
};

struct client {
        int fd; /* -1 when the slot is free */
        size_t len;
        char buf[LINE_CAP];
};

static rd_kafka_mock_cluster_t *mcluster;
static int broker_cnt = 3;

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;

static void logmsg(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        fputs("kafka-dev-broker: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

static void usage(FILE *out) {
        fprintf(out,
                "usage: kafka-dev-broker [--brokers N (default 3)] "
                "[--topic NAME:PARTITIONS]...\n"
                "                        [--topics-file PATH] "
                "[--control-port P] [--debug]\n");
}

/* Wakes the poll() loop: a flag alone would race with entering poll(). */
static void on_signal(int sig) {
        int saved_errno = errno;
        stop_signal     = sig;
        if (write(signal_pipe[1], "x", 1) < 0) {
                /* pipe full: a wake-up is already pending */
        }
        errno = saved_errno;
}

/* Parses a whole decimal integer in [min, max]. */
static int parse_int(const char *s, long min, long max, int *out) {
        char *end;
        long v;

        if (!s || !*s)
                return -1;
        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || *end || v < min || v > max)
                return -1;
        *out = (int)v;
        return 0;
}

/* Kafka's own rule: 1..249 chars of [A-Za-z0-9._-], not "." or "..". */
static int valid_topic_name(const char *name) {
        size_t n = strlen(name);
        size_t i;

        if (n == 0 || n > TOPIC_NAME_MAX || !strcmp(name, ".") ||
            !strcmp(name, ".."))
                return 0;
        for (i = 0; i < n; i++) {
                char c = name[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-'))
                        return 0;
        }
        return 1;
}

static int replication_factor(void) {
        return broker_cnt < 3 ? broker_cnt : 3;
}

/* Formats an rdkafka error as "NAME: description". */
static void format_err(char *out, size_t size, rd_kafka_resp_err_t err) {
        snprintf(out, size, "%s: %s", rd_kafka_err2name(err),
                 rd_kafka_err2str(err));
}

/* Parses "name:partitions" (surrounding whitespace already stripped). */
static int parse_topic_spec(const char *spec, struct topic_spec *out) {
        const char *colon = strrchr(spec, ':');
        size_t name_len;

        if (!colon)
                return -1;
        name_len = (size_t)(colon - spec);
        if (parse_int(colon + 1, 1, MAX_PARTITIONS, &out->partitions))
                return -1;
        out->name = strndup(spec, name_len);
        if (!out->name)
                return -1;
        if (!valid_topic_name(out->name)) {
                free(out->name);
                out->name = NULL;
                return -1;
        }
        return 0;
}

static int add_topic(struct topic_spec **topics,
                     size_t *cnt,
                     size_t *cap,
                     const char *spec,
                     const char *origin) {
        if (*cnt == *cap) {
                size_t ncap = *cap ? *cap * 2 : 16;
                struct topic_spec *n =
                    realloc(*topics, ncap * sizeof(**topics));
                if (!n) {
                        logmsg("out of memory");
                        return -1;
                }
                *topics = n;
                *cap    = ncap;
        }
        if (parse_topic_spec(spec, &(*topics)[*cnt])) {
                logmsg("%s: invalid topic \"%s\" (expected NAME:PARTITIONS, "
                       "NAME of [A-Za-z0-9._-], 1..%d partitions)",
                       origin, spec, MAX_PARTITIONS);
                return -1;
        }
        (*cnt)++;
        return 0;
}

static char *trim(char *s) {
        char *end;

        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
                s++;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
                           end[-1] == '\r' || end[-1] == '\n'))
                *--end = '\0';
        return s;
}

static int read_topics_file(const char *path,
                            struct topic_spec **topics,
                            size_t *cnt,
                            size_t *cap) {
        FILE *fp = fopen(path, "r");
        char *line  = NULL;
        size_t size = 0;
        int lineno  = 0;
        int ret     = 0;

        if (!fp) {
                logmsg("cannot open topics file %s: %s", path,
                       strerror(errno));
                return -1;
        }
        while (getline(&line, &size, fp) != -1) {
                char origin[PATH_MAX + 32];
                char *hash = strchr(line, '#');
                char *spec;

                lineno++;
                /* '#' cannot occur in a topic name, so it always starts a
                 * comment. */
                if (hash)
                        *hash = '\0';
                spec = trim(line);
                if (!*spec)
                        continue;
                snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
                if (add_topic(topics, cnt, cap, spec, origin)) {
                        ret = -1;
                        break;
                }
        }
        free(line);
        fclose(fp);
        return ret;
}

static int create_topic(const char *name, int partitions, char *errbuf,
                        size_t errsize) {
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
            mcluster, name, partitions, replication_factor());
        if (err) {
                format_err(errbuf, errsize, err);
                return -1;
        }
        return 0;
}

/* Broker ids are 1..broker_cnt; -1 addresses all brokers (or, for
 * `leader`, means "no leader"). */
static int parse_broker_id(const char *s, int *out) {
        if (parse_int(s, -1, broker_cnt, out) || *out == 0)
                return -1;
        return 0;
}

/* Executes one control command, writing the reply (without newline). */
static void handle_command(char *line, char *reply, size_t size) {
        char *args[5];
        char *save = NULL;
        char *tok;
        int argc = 0;
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        int a, b, c;

        for (tok = strtok_r(line, " \t\r", &save); tok;
             tok = strtok_r(NULL, " \t\r", &save)) {
                if (argc == (int)(sizeof(args) / sizeof(*args))) {
                        snprintf(reply, size, "ERR too many arguments");
                        return;
                }
                args[argc++] = tok;
        }

        if (argc == 0) {
                snprintf(reply, size, "ERR empty command");
                return;
        }

#define EXPECT_ARGS(n, syntax)                                                 \
        do {                                                                   \
                if (argc != (n) + 1) {                                         \
                        snprintf(reply, size, "ERR usage: %s", syntax);        \
                        return;                                                \
                }                                                              \
        } while (0)

        if (!strcmp(args[0], "ping")) {
                EXPECT_ARGS(0, "ping");

        } else if (!strcmp(args[0], "down") || !strcmp(args[0], "up")) {
                int down = !strcmp(args[0], "down");
                EXPECT_ARGS(1, down ? "down <brokerId>" : "up <brokerId>");
                if (parse_broker_id(args[1], &a)) {
                        snprintf(reply, size,
                                 "ERR broker id must be 1..%d or -1 (all)",
                                 broker_cnt);
                        return;
                }
                err = down ? rd_kafka_mock_broker_set_down(mcluster, a)
                           : rd_kafka_mock_broker_set_up(mcluster, a);

        } else if (!strcmp(args[0], "leader")) {
                EXPECT_ARGS(3, "leader <topic> <partition> <brokerId>");
                if (!valid_topic_name(args[1])) {
                        snprintf(reply, size, "ERR invalid topic name");
                        return;
                }
                if (parse_int(args[2], 0, MAX_PARTITIONS - 1, &a)) {
                        snprintf(reply, size, "ERR invalid partition");
                        return;
                }
                if (parse_broker_id(args[3], &b)) {
                        snprintf(reply, size,
                                 "ERR broker id must be 1..%d or -1 (none)",
                                 broker_cnt);
                        return;
                }
                err = rd_kafka_mock_partition_set_leader(mcluster, args[1], a,
                                                         b);

        } else if (!strcmp(args[0], "errors")) {
                rd_kafka_resp_err_t *errs;
                int i;

                EXPECT_ARGS(3, "errors <apiKey> <count> <errorCode>");
                if (parse_int(args[1], 0, INT16_MAX, &a) ||
                    parse_int(args[2], 1, MAX_ERROR_COUNT, &b) ||
                    parse_int(args[3], INT16_MIN, INT16_MAX, &c)) {
                        snprintf(reply, size,
                                 "ERR apiKey must be >= 0, count 1..%d, "
                                 "errorCode an int16",
                                 MAX_ERROR_COUNT);
                        return;
                }
                errs = malloc((size_t)b * sizeof(*errs));
                if (!errs) {
                        snprintf(reply, size, "ERR out of memory");
                        return;
                }
                for (i = 0; i < b; i++)
                        errs[i] = (rd_kafka_resp_err_t)c;
                /* The _array variant of rd_kafka_mock_push_request_errors,
                 * since the count is only known at run time. */
                rd_kafka_mock_push_request_errors_array(mcluster, (int16_t)a,
                                                        (size_t)b, errs);
                free(errs);

        } else if (!strcmp(args[0], "clear")) {
                EXPECT_ARGS(1, "clear <apiKey>");
                if (parse_int(args[1], 0, INT16_MAX, &a)) {
                        snprintf(reply, size, "ERR invalid apiKey");
                        return;
                }
                rd_kafka_mock_clear_request_errors(mcluster, (int16_t)a);

        } else if (!strcmp(args[0], "rtt")) {
                EXPECT_ARGS(2, "rtt <brokerId> <ms>");
                if (parse_broker_id(args[1], &a) ||
                    parse_int(args[2], 0, 600000, &b)) {
                        snprintf(reply, size,
                                 "ERR broker id must be 1..%d or -1 (all), "
                                 "ms 0..600000",
                                 broker_cnt);
                        return;
                }
                err = rd_kafka_mock_broker_set_rtt(mcluster, a, b);

        } else if (!strcmp(args[0], "topic")) {
                char errbuf[256];

                EXPECT_ARGS(2, "topic <name> <partitions>");
                if (!valid_topic_name(args[1])) {
                        snprintf(reply, size, "ERR invalid topic name");
                        return;
                }
                if (parse_int(args[2], 1, MAX_PARTITIONS, &a)) {
                        snprintf(reply, size,
                                 "ERR partitions must be 1..%d",
                                 MAX_PARTITIONS);
                        return;
                }
                if (create_topic(args[1], a, errbuf, sizeof(errbuf))) {
                        snprintf(reply, size, "ERR %s", errbuf);
                        return;
                }

        } else {
                snprintf(reply, size,
                         "ERR unknown command \"%.64s\" (ping, down, up, "
                         "leader, errors, clear, rtt, topic)",
                         args[0]);
                return;
        }
#undef EXPECT_ARGS

        if (err) {
                char errbuf[256];
                format_err(errbuf, sizeof(errbuf), err);
                snprintf(reply, size, "ERR %s", errbuf);
                return;
        }
        snprintf(reply, size, "OK");
}

static int send_all(int fd, const char *buf, size_t len) {
        while (len > 0) {
                ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

static void client_close(struct client *cl) {
        close(cl->fd);
        cl->fd  = -1;
        cl->len = 0;
}

/* Reads what is available and answers every complete line. */
static void client_read(struct client *cl) {
        ssize_t n;
        char *start, *nl;

        n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - cl->len, 0);
        if (n < 0 && errno == EINTR)
                return;
        if (n <= 0) {
                client_close(cl);
                return;
        }
        cl->len += (size_t)n;

        start = cl->buf;
        while ((nl = memchr(start, '\n', cl->len - (size_t)(start - cl->buf)))) {
                char reply[512];
                char logline[LINE_CAP];
                size_t rlen;

                *nl = '\0';
                snprintf(logline, sizeof(logline), "%s", start);
                handle_command(start, reply, sizeof(reply) - 1);
                logmsg("control: %s -> %s", trim(logline), reply);
                rlen          = strlen(reply);
                reply[rlen++] = '\n';
                if (send_all(cl->fd, reply, rlen)) {
                        client_close(cl);
                        return;
                }
                start = nl + 1;
        }

        cl->len -= (size_t)(start - cl->buf);
        memmove(cl->buf, start, cl->len);
        if (cl->len == sizeof(cl->buf)) {
                static const char msg[] = "ERR line too long\n";
                send_all(cl->fd, msg, sizeof(msg) - 1);
                client_close(cl);
        }
}

static int open_control_listener(int port, int *bound_port) {
        struct sockaddr_in addr;
        socklen_t addrlen = sizeof(addr);
        int one           = 1;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0) {
                logmsg("socket: %s", strerror(errno));
                return -1;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));

        memset(&addr, 0, sizeof(addr));
        addr.sin_family      = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port        = htons((uint16_t)port);
        if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
            listen(fd, 16) ||
            getsockname(fd, (struct sockaddr *)&addr, &addrlen)) {
                logmsg("control listener on 127.0.0.1:%d: %s", port,
                       strerror(errno));
                close(fd);
                return -1;
        }
        *bound_port = ntohs(addr.sin_port);
        return fd;
}

static void accept_client(int listen_fd, struct client *clients) {
        int i;
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

        if (fd < 0)
                return;
        for (i = 0; i < MAX_CLIENTS; i++) {
                if (clients[i].fd == -1) {
                        clients[i].fd  = fd;
                        clients[i].len = 0;
                        return;
                }
        }
        {
                static const char msg[] = "ERR too many connections\n";
                send_all(fd, msg, sizeof(msg) - 1);
                close(fd);
        }
}

static void serve(int listen_fd) {
        struct client clients[MAX_CLIENTS];
        struct pollfd pfds[MAX_CLIENTS + 2];
        int map[MAX_CLIENTS + 2];
        int i;

        for (i = 0; i < MAX_CLIENTS; i++)
                clients[i].fd = -1;

        while (!stop_signal) {
                int n = 0;
                int j;

                pfds[n].fd     = signal_pipe[0];
                pfds[n].events = POLLIN;
                map[n++]       = -1;
                pfds[n].fd     = listen_fd;
                pfds[n].events = POLLIN;
                map[n++]       = -1;
                for (i = 0; i < MAX_CLIENTS; i++) {
                        if (clients[i].fd == -1)
                                continue;
                        pfds[n].fd     = clients[i].fd;
                        pfds[n].events = POLLIN;
                        map[n++]       = i;
                }

                if (poll(pfds, (nfds_t)n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        logmsg("poll: %s", strerror(errno));
                        break;
                }
                if (pfds[0].revents)
                        break;
                if (pfds[1].revents & POLLIN)
                        accept_client(listen_fd, clients);
                for (j = 2; j < n; j++) {
                        if (pfds[j].revents)
                                client_read(&clients[map[j]]);
                }
        }

        for (i = 0; i < MAX_CLIENTS; i++) {
                if (clients[i].fd != -1)
                        client_close(&clients[i]);
        }
}

static void install_signal_handlers(void) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);

        /* A vanished control client or stdout reader must not kill us. */
        signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv) {
        struct topic_spec *topics = NULL;
        size_t topic_cnt = 0, topic_cap = 0;
        int control_port = 0, bound_port = 0;
        int debug        = 0;
        int listen_fd    = -1;
        int exit_code    = 1;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk = NULL;
        size_t t;
        int i;

        for (i = 1; i < argc; i++) {
                const char *arg = argv[i];
                const char *val = i + 1 < argc ? argv[i + 1] : NULL;

                if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
                        usage(stdout);
                        return 0;
                } else if (!strcmp(arg, "--debug")) {
                        debug = 1;
                        continue;
                } else if (!val) {
                        logmsg("%s: missing value", arg);
                        usage(stderr);
                        return 2;
                }

                if (!strcmp(arg, "--brokers")) {
                        if (parse_int(val, 1, MAX_BROKERS, &broker_cnt)) {
                                logmsg("--brokers must be 1..%d", MAX_BROKERS);
                                return 2;
                        }
                } else if (!strcmp(arg, "--topic")) {
                        if (add_topic(&topics, &topic_cnt, &topic_cap, val,
                                      "--topic"))
                                return 2;
                } else if (!strcmp(arg, "--topics-file")) {
                        if (read_topics_file(val, &topics, &topic_cnt,
                                             &topic_cap))
                                return 2;
                } else if (!strcmp(arg, "--control-port")) {
                        if (parse_int(val, 0, 65535, &control_port)) {
                                logmsg("--control-port must be 0..65535");
                                return 2;
                        }
                } else {
                        logmsg("unknown argument: %s", arg);
                        usage(stderr);
                        return 2;
                }
                i++;
        }

        if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK)) {
                logmsg("pipe: %s", strerror(errno));
                return 1;
        }
        install_signal_handlers();

        conf = rd_kafka_conf_new();
        /* The handle only hosts the mock cluster; it never connects
         * anywhere itself, so silence its "no bootstrap.servers" notice. */
        if (rd_kafka_conf_set(conf, "log_level", debug ? "7" : "4", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            (debug && rd_kafka_conf_set(conf, "debug", "mock", errstr,
                                        sizeof(errstr)) != RD_KAFKA_CONF_OK)) {
                logmsg("rdkafka config: %s", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                logmsg("rd_kafka_new: %s", errstr);
                return 1;
        }

        mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mcluster) {
                logmsg("could not create mock cluster with %d brokers",
                       broker_cnt);
                goto out;
        }

        for (t = 0; t < topic_cnt; t++) {
                char errbuf[256];
                if (create_topic(topics[t].name, topics[t].partitions, errbuf,
                                 sizeof(errbuf))) {
                        logmsg("creating topic %s (%d partitions): %s",
                               topics[t].name, topics[t].partitions, errbuf);
                        goto out;
                }
        }

        listen_fd = open_control_listener(control_port, &bound_port);
        if (listen_fd < 0)
                goto out;

        printf("BOOTSTRAP=%s\nCONTROL=%d\n",
               rd_kafka_mock_cluster_bootstraps(mcluster), bound_port);
        fflush(stdout);
        logmsg("ready: %d broker(s), %zu topic(s), replication factor %d",
               broker_cnt, topic_cnt, replication_factor());

        serve(listen_fd);
        if (stop_signal)
                logmsg("received %s, shutting down", strsignal(stop_signal));
        exit_code = stop_signal ? 0 : 1;

out:
        if (listen_fd >= 0)
                close(listen_fd);
        if (mcluster)
                rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        for (t = 0; t < topic_cnt; t++)
                free(topics[t].name);
        free(topics);
        return exit_code;
}
