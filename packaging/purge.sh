# Shared by the .deb postrm (purge) and the .rpm %postun (erase): take back what the agent wrote.
# Its unit drop-ins and their backups; files it changed are restored from the backup taken before its
# first change. build-packages copies this text into both scripts, so they cannot drift apart.
for dropin in /etc/systemd/system/*.service.d/50-k0s-node-ip.conf; do
  [ -e "$dropin" ] || continue
  rm -f "$dropin" "$dropin.k0s-node-ip.bak"
  rmdir "$(dirname "$dropin")" 2>/dev/null || true
done
# An empty k0s drop-in folder the agent's unit made (ExecStartPre=) goes too; one holding an operator's file stays.
rmdir /etc/systemd/system/k0sworker.service.d /etc/systemd/system/k0scontroller.service.d 2>/dev/null || true
for backup in /etc/default/kubelet.k0s-node-ip.bak /etc/sysconfig/kubelet.k0s-node-ip.bak; do
  if [ -f "$backup" ]; then mv -f "$backup" "${backup%.k0s-node-ip.bak}"; fi
done
rm -f /etc/k0s-node-ip/config.json.k0s-node-ip.bak
# The record of what was last written (Reload:StateFile, the unit's StateDirectory=).
rm -rf /var/lib/k0s-node-ip
rmdir /etc/k0s-node-ip 2>/dev/null || true
systemctl daemon-reload >/dev/null 2>&1 || true
