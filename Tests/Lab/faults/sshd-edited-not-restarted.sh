# The key is not authorized; sshd_config was also edited (AllowUsers nobody) but sshd not restarted, so that edit is not a cause.
# expect: authorized-keys
# client: file
inject() {
    ssh-keygen -q -t ed25519 -N '' -C "runbook-lab-$NAME-other" -f "$RUN/other_key"
    write_authorized_keys "$RUN/other_key.pub"
    rm -f "$RUN/other_key" "$RUN/other_key.pub"
    sleep 3 # the edit must come visibly later than sshd's start (whole seconds)
    echo "AllowUsers nobody" >>"$ETC/ssh/sshd_config"
}
