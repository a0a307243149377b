/* Expands the events of iCalendar files with libical (Debian's libical-dev), the library behind
 * Evolution, GNOME Calendar and KDE's older stack, for tests/feeds/test_readers.py.
 *
 *   libical_expand FROM TO FILE...      FROM and TO are Unix times (UTC)
 *
 * For every occurrence that starts in [FROM, TO) prints one line
 *   FILE<TAB>UID<TAB>START<TAB>END
 * with START and END as Unix times. Times are resolved through the VTIMEZONEs inside each file
 * (libical looks a TZID up in the enclosing VCALENDAR first), not through libical's own zone
 * data. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
    const char *file;
    const char *uid;
};

static void print_span(icalcomponent *comp, struct icaltime_span *span, void *data) {
    (void)comp;
    struct ctx *c = data;
    printf("%s\t%s\t%lld\t%lld\n", c->file, c->uid, (long long)span->start, (long long)span->end);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (!grown) { free(buf); buf = NULL; }
            else buf = grown;
        }
    }
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s FROM TO FILE...\n", argv[0]);
        return 2;
    }
    struct icaltimetype from = icaltime_from_timet_with_zone(atoll(argv[1]), 0, icaltimezone_get_utc_timezone());
    struct icaltimetype to = icaltime_from_timet_with_zone(atoll(argv[2]), 0, icaltimezone_get_utc_timezone());
    for (int i = 3; i < argc; i++) {
        char *text = slurp(argv[i]);
        if (!text) { fprintf(stderr, "%s: cannot read\n", argv[i]); return 1; }
        icalcomponent *cal = icalparser_parse_string(text);
        free(text);
        if (!cal) { fprintf(stderr, "%s: libical cannot parse it\n", argv[i]); return 1; }
        for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
            struct icaltimetype start = icalcomponent_get_dtstart(ev);
            if (icaltime_is_null_time(start) || start.zone == NULL || icaltime_is_utc(start)) {
                fprintf(stderr, "%s: %s: DTSTART did not resolve to a VTIMEZONE of the file\n",
                        argv[i], icalcomponent_get_uid(ev));
                return 1;
            }
            struct ctx c = {argv[i], icalcomponent_get_uid(ev)};
            icalcomponent_foreach_recurrence(ev, from, to, print_span, &c);
        }
        icalcomponent_free(cal);
    }
    return 0;
}
