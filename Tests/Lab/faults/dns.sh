# Nothing in the VM changes; the run targets host no-such-host.invalid.
# expect: dns
# host: no-such-host.invalid
inject() { :; }
