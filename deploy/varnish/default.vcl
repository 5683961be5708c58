# The HTTP cache in front of the site (compose service `cache`; tests/varnish.py starts it
# too). It keeps what the site marks `Cache-Control: public, s-maxage=...` (anonymous
# public pages, clinic/http_cache.py) for that long, and Wagtail purges it on every change
# (clinic/purging.py). Anything with a session, a CSRF token or a form goes to the site.
vcl 4.1;

import std;

# What differs per deployment: the backend (with its health probe) and the sub
# `clinic_error_page`, the page shown when no web process answers. docker compose mounts
# compose-site.vcl as site.vcl beside this file; the test suite writes its own.
include "site.vcl";

# Who may PURGE or BAN: this machine and the private networks the site's own containers
# share (the proxy in front refuses both methods from the internet).
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Bans on obj.* only, so Varnish's ban lurker clears them in the background. By
        # path under every host name: Wagtail names its Site's hostname, which need not be
        # the one visitors use (one clinic, one site).
        if (req.method == "BAN") {
            ban("obj.status != 0");
            return (synth(200, "Banned"));
        }
        # A page's every query string (its pages, campaign links) goes with it: the
        # purger sends one PURGE per path, counting on this (clinic/purging.py).
        ban("obj.http.x-path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }

    # Campaign and click identifiers never change a page: one cached copy serves them all.
    if (req.url ~ "[?&](utm_[a-z_]+|gclid|fbclid|mc_[a-z]+)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[a-z_]+|gclid|fbclid|mc_[a-z]+)=[^&]*", "\1");
        set req.url = regsuball(req.url, "([?&])&+", "\1");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (and its previews), the forms, their confirmations, the patient's page and
    # the health checks always come from the site.
    if (req.url ~ "^/(admin|book|guide|appointment)(/|$)" || req.url ~ "^/(healthz|readyz)") {
        return (pass);
    }
    # A session (an editor), a CSRF token (a form in progress) or messages: their own page.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|csrftoken|messages)=") {
        return (pass);
    }
    # Other cookies (a browser's own) never change what the site sends.
    unset req.http.Cookie;
    # While the site answers, a copy past its lifetime is served only while a fresh one is
    # fetched; while it is down, for as long as the copy's grace lasts.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # What a PURGE matches against.
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");
    # A failing refresh keeps the stale copy rather than replacing it with the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Kept only when the site said so (pages: s-maxage; hashed static files: WhiteNoise's
    # year-long max-age), and never a response that sets a cookie.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control !~ "(s-maxage|max-age)=[1-9]"
        || beresp.http.Cache-Control ~ "private|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Past its lifetime a copy stays, to be served while the site is down.
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "30";
    call clinic_error_page;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-path;
    unset resp.http.Via;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
