// The webhook endpoint hosts the SSRF tests try (automations_ssrf_test.ts, api_automation_endpoints_ssrf_test.ts).

/** Loopback in every spelling WHATWG URL parsing and ipaddr.js know. */
export const LOOPBACK_URLS = [
  "https://127.0.0.1/x", "https://127.1/", "https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/",
  "https://127.255.255.254:8443/", "https://localhost/x", "https://LOCALHOST./x", "https://api.localhost/",
  "https://[::1]/x", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/",
];

/** Never allowed, not even with the dev/test flag. */
export const INTERNAL_URLS = [
  "https://0/", "https://0.0.0.0/", "https://[::]/",
  "https://10.0.0.5/", "https://172.16.0.1:5432/", "https://172.31.255.255/", "https://192.168.1.1/",
  "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/", "https://100.64.0.1/",
  "https://[fd00::1]/", "https://[fc00::1]/", "https://[::ffff:10.0.0.1]/", "https://[::ffff:169.254.169.254]/",
  "https://[::127.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/", "https://[2001:db8::1]/",
  "https://224.0.0.1/", "https://255.255.255.255/", "https://192.0.2.1/", "https://198.18.0.1/", "https://240.0.0.1/",
  "https://metadata.google.internal/computeMetadata/v1/", "https://metadata/", "https://db:5432/",
  "https://printer.local/", "https://router.home.arpa/", "https://kubernetes.default.svc.cluster.local/",
];

export const PUBLIC_URLS = ["https://hooks.example.com/x", "https://93.184.215.14/hook", "https://[2606:4700:4700::1111]/"];
