# docker compose mounts this as /etc/varnish/site.vcl. The site, behind the balancer
# (deploy/balancer.Caddyfile), which spreads requests over every `web` replica
# (`docker compose up --scale web=3`): a Varnish backend must resolve to one address, and
# `web` resolves to one per replica.
backend web {
    .host = "balancer";
    .port = "8081";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .request = "GET /healthz HTTP/1.1"
                   "Host: localhost"
                   "Connection: close";
        .interval = 5s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
    }
}

# Written by the `migrate` service (manage.py write_contact_card --error-page) into the
# `error-page` volume; Varnish reads it once, when it loads this VCL.
sub clinic_error_page {
    synthetic(std.fileread("/var/lib/clinic/error-page/500.html"));
}
