package dev.carnival.plugins.probes;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.probe.ProbeResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * {@code http = "http://host:port/path"}: a GET; success when the status is 200-399 within the
 * timeout. Redirects are not followed (a 3xx is an answer, and success).
 */
public final class HttpProbe implements ProbeProvider {

    /** One client for every http probe: one selector thread; responses handled on virtual threads. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Probe create(ProbeOptions options) throws ConfigException {
        URI uri = uri(options);
        return context -> {
            HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(context.timeout()).build();
            CompletableFuture<HttpResponse<Void>> sent =
                    Client.INSTANCE.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            CompletableFuture<ProbeResult> result = sent.handle((response, e) -> {
                if (e != null) {
                    return ProbeResult.failure(Failures.describe(e));
                }
                int code = response.statusCode();
                return new ProbeResult(code >= 200 && code <= 399, "HTTP " + code);
            });
            // Cut at the timeout or stopped: abort the exchange rather than leave it open.
            result.whenComplete((r, e) -> sent.cancel(true));
            return result;
        };
    }

    private static URI uri(ProbeOptions options) throws ConfigException {
        String text = options.target().isEmpty() ? "" : options.target().getFirst();
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(options.location(), "http probe needs an http:// or https:// URL with a host, got '"
                + text + "'");
    }
}
