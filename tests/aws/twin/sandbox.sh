#!/bin/bash
# The "machine" of one AWS twin instance (tests only), started by
# instance.js as
#   unshare -m -p --fork --kill-child --propagation private bash sandbox.sh ROOT SHIM
# so it is process 1 of a new PID namespace with private mounts: when it
# dies every process of the instance dies with it, and no mount is seen
# outside.  The network namespace is the machine's (the instance reaches the
# twin on 127.0.0.1; vsock's abstract Unix sockets live there too).
#
# ROOT (made by instance.js, which already wrote ROOT/opt/twin/etc and the
# user data) becomes the instance's root: the machine's /usr (and /bin,
# /lib*, /sbin) read-only, its own writable /etc (the few files bash,
# python3 and the AWS CLI need, an Amazon Linux 2023 os-release), /var,
# /run, /tmp, /root, /proc of the new PID namespace, a small /dev; the
# stand-ins in /opt/twin/bin, first on PATH and bound over the machine's
# own systemctl, systemd-run and aws so absolute paths reach them too.
# Then process 1 becomes /opt/twin/lib/init.sh inside the chroot.
set -euo pipefail
R=$1
SHIM=$2
HERE=$(cd "$(dirname "$0")" && pwd)
S=$HERE/standins
die() {
    echo "twin sandbox: $*" >&2
    exit 1
}
[ -d "$R/opt/twin/etc" ] || die "$R/opt/twin/etc missing (instance.js writes it)"
[ -f "$SHIM" ] || die "$SHIM: vsock shim missing"

mkdir -p "$R"/{usr,etc,var/log,var/tmp,var/lib/cloud/data,run/twin,tmp,root,proc,dev,sys,home,mnt,srv}
mkdir -p "$R"/opt/twin/{bin,lib,libexec,share}
chmod 1777 "$R/tmp" "$R/var/tmp"
chmod 0700 "$R/root"

# /etc: what bash, python3 (the AWS CLI), curl and sha256sum read
for f in passwd group hosts host.conf nsswitch.conf resolv.conf gai.conf ld.so.cache ld.so.conf \
    ld.so.conf.d ssl ca-certificates ca-certificates.conf alternatives localtime mime.types protocols services \
    python3 python3.11 login.defs; do
    [ -e "/etc/$f" ] && [ ! -e "$R/etc/$f" ] && cp -a "/etc/$f" "$R/etc/$f"
done
cat >"$R/etc/os-release" <<'EOF'
NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023 (AWS twin sandbox)"
HOME_URL="https://aws.amazon.com/linux/amazon-linux-2023/"
EOF
# the vsock shim for every program of the instance, even one started with a
# scrubbed environment or through its own loader (the host tarball's run)
echo /opt/twin/lib/ns_vsock_shim.so >"$R/etc/ld.so.preload"
id=$(sed -n 's/^TWIN_INSTANCE_ID=//p' "$R/opt/twin/etc/instance.env" | tr -d "'")
echo "ip-172-31-${#id}-$((RANDOM % 250))" >"$R/etc/hostname"
echo "$id" >"$R/var/lib/cloud/data/instance-id"

# the stand-ins
for f in systemctl systemd-run dnf aws ec2-metadata; do install -m 0755 "$S/$f" "$R/opt/twin/bin/$f"; done
for f in poweroff halt reboot shutdown; do ln -sfn systemctl "$R/opt/twin/bin/$f"; done
install -m 0755 "$S/nitro-cli" "$R/opt/twin/share/nitro-cli"
install -m 0644 "$S/standin.sh" "$R/opt/twin/lib/standin.sh"
install -m 0755 "$HERE/sandbox-init.sh" "$R/opt/twin/lib/init.sh"
install -m 0755 "$SHIM" "$R/opt/twin/lib/ns_vsock_shim.so"

# the machine's /usr, read-only; /bin, /lib... as links (merged /usr) or read-only
mount --bind /usr "$R/usr"
mount -o remount,bind,ro "$R/usr"
for d in bin sbin lib lib32 lib64 libx32; do
    if [ -L "/$d" ]; then
        ln -sfn "$(readlink "/$d")" "$R/$d"
    elif [ -d "/$d" ]; then
        mkdir -p "$R/$d"
        mount --bind "/$d" "$R/$d"
        mount -o remount,bind,ro "$R/$d"
    fi
done

mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=0755,size=16m tmpfs "$R/dev"
for n in null zero full random urandom tty; do
    touch "$R/dev/$n"
    mount --bind "/dev/$n" "$R/dev/$n"
done
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mkdir -p "$R/dev/shm"
mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/dev/shm"

# absolute paths to the machine's own tools reach the stand-ins too
if [ -f /usr/bin/aws ]; then
    touch "$R/opt/twin/libexec/aws"
    mount --bind /usr/bin/aws "$R/opt/twin/libexec/aws"
    mount --bind "$R/opt/twin/bin/aws" "$R/usr/bin/aws"
else
    die "/usr/bin/aws missing: the twin's instances run the Debian AWS CLI v2 (package awscli)"
fi
for dir in /usr/bin /usr/sbin; do
    for f in systemctl systemd-run poweroff halt reboot shutdown dnf ec2-metadata; do
        [ -f "$dir/$f" ] && [ ! -L "$dir/$f" ] || continue
        src=$R/opt/twin/bin/$f
        case $f in poweroff | halt | reboot | shutdown) src=$R/opt/twin/bin/systemctl ;; esac
        mount --bind "$src" "$R$dir/$f"
    done
done

exec env -i /usr/sbin/chroot "$R" /opt/twin/lib/init.sh
