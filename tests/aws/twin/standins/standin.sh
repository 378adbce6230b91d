# Shared by the Amazon Linux 2023 stand-ins of the AWS twin's instances
# (sourced, never run).  Inside the instance sandbox:
#   /opt/twin/etc/instance.env   TWIN_URL, TWIN_INSTANCE_ID, TWIN_TIME_SCALE
#   /opt/twin/etc/faults/NAME    an armed fault this instance took
#   /var/log/twin-standins.log   every stand-in call, one line each
#   /run/twin/                   the machine's state (timers, units, poweroff)
# shellcheck shell=bash

TWIN_URL=
TWIN_INSTANCE_ID=
TWIN_TIME_SCALE=1
# shellcheck disable=SC1091
[ -r /opt/twin/etc/instance.env ] && . /opt/twin/etc/instance.env
mkdir -p /run/twin /var/log 2>/dev/null || true

# standin_log NAME ARGS...: one line with the time and the argv, quoted
standin_log() {
    local line
    line="$(date -u +%Y-%m-%dT%H:%M:%SZ) $(printf '%q ' "$@")"
    echo "${line% }" >>/var/log/twin-standins.log 2>/dev/null || true
}

# standin_fault NAME: true when the instance took fault NAME
standin_fault() { [ -e "/opt/twin/etc/faults/$1" ]; }

# standin_post PATH JSON: POST to the twin's control route; true on 2xx
standin_post() {
    [ -n "$TWIN_URL" ] || return 1
    env -u LD_PRELOAD curl -fsS -m 10 -o /dev/null -X POST -H 'Content-Type: application/json' \
        --data "$2" "$TWIN_URL$1" 2>/dev/null
}

# standin_poweroff WHY: the machine goes down.  The twin is told (POST
# /_twin/instance/<id>/poweroff; it terminates the instance and kills the
# sandbox); /run/twin/poweroff records it either way ("posted" or
# "unposted": then instance.js calls onPoweroff itself) and instance.js
# ends the sandbox.  Never returns.
standin_poweroff() {
    echo "[twin] $TWIN_INSTANCE_ID: power off ($1)" >&2
    echo "         Stopping nitro-enclaves-allocator.service..." >&2
    echo "reboot: Power down" >&2
    local how=unposted
    if standin_post "/_twin/instance/$TWIN_INSTANCE_ID/poweroff" "{\"reason\":\"$1\"}"; then how=posted; fi
    echo "$how $1" >/run/twin/poweroff.tmp && mv /run/twin/poweroff.tmp /run/twin/poweroff
    while :; do sleep 3600; done
}

# standin_timer KIND SECONDS WHAT: a kill switch.  The twin keeps it on its
# own clock (POST /_twin/instance/<id>/timer); if it cannot, the line
# "KIND SECONDS WHAT" in /run/twin/timers.pending has instance.js keep it
# (on the twin's clock when the twin gives one, else SECONDS /
# TWIN_TIME_SCALE of real time).
standin_timer() {
    local kind=$1 secs=$2 what=$3 minutes
    minutes=$(awk -v s="$secs" 'BEGIN { printf "%g", s / 60 }')
    echo "$kind $secs $what" >>/run/twin/timers
    if standin_post "/_twin/instance/$TWIN_INSTANCE_ID/timer" \
        "{\"kind\":\"$kind\",\"minutes\":$minutes,\"seconds\":$secs,\"what\":\"${what//\"/}\"}"; then
        return 0
    fi
    echo "$kind $secs $what" >>/run/twin/timers.pending
}
