#!/bin/bash
# Process 1 of an AWS twin instance, inside its chroot (sandbox.sh starts
# it): what cloud-init does with the user data on Amazon Linux 2023.  The
# script /var/lib/cloud/instance/scripts/part-001 runs with a minimal
# environment like cloud-init's (PATH, LANG; no HOME) plus the lines of
# /opt/twin/etc/userdata.env; its output goes to the console (stdout, which
# instance.js writes to the instance's console.log) and to
# /var/log/cloud-init-output.log.  When it ends the machine stays up, as a
# real one does, until something powers it off or the twin kills it.
# shellcheck disable=SC1091
. /opt/twin/etc/instance.env
up=$(date +%s.%N)
echo "[    0.000000] Linux version 6.1.0-twin (AWS twin sandbox) #1 SMP"
echo "[    0.000000] Command line: console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295"
echo "Amazon Linux 2023 (AWS twin sandbox) $TWIN_INSTANCE_ID"
echo "Cloud-init v. 22.2.2 running 'modules:final' at $(date -u '+%a, %d %b %Y %H:%M:%S +0000')."

UENV=()
[ -r /opt/twin/etc/userdata.env ] && mapfile -t UENV </opt/twin/etc/userdata.env
ud=/var/lib/cloud/instance/scripts/part-001
cd /
(env -i "${UENV[@]}" "$ud" </dev/null 2>&1; echo "$?" >/run/twin/user-data.rc) | tee -a /var/log/cloud-init-output.log
rc=$(cat /run/twin/user-data.rc 2>/dev/null || echo 1)
secs=$(awk -v a="$up" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
if [ "$rc" -ne 0 ]; then
    echo "$(date -u '+%Y-%m-%d %H:%M:%S,000') - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)" |
        tee -a /var/log/cloud-init-output.log
fi
echo "Cloud-init v. 22.2.2 finished at $(date -u '+%a, %d %b %Y %H:%M:%S +0000'). Datasource DataSourceEc2.  Up $secs seconds" |
    tee -a /var/log/cloud-init-output.log

while :; do
    sleep 3600 &
    wait $!
done
