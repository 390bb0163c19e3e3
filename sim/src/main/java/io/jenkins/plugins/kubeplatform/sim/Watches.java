package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.jenkins.plugins.kubeplatform.sim.api.FieldSelector;
import io.jenkins.plugins.kubeplatform.sim.api.LabelSelector;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches as the API server serves them, on top of the mock's: label and field selectors (an object that stops
 * matching is a DELETED event, one that starts matching an ADDED), only events newer than the requested
 * {@code resourceVersion}, an initial BOOKMARK when {@code allowWatchBookmarks=true}, and 410 Gone when a deletion
 * happened after the requested version (the mock cannot replay it, so the client must re-list rather than miss it).
 * Watches over plain HTTP (kubectl) are streamed: each event is written as it happens, until {@code timeoutSeconds}
 * or the client closes the connection.
 */
final class Watches {

    /** How often an HTTP watch that allows bookmarks gets one (a real server sends one about every minute). */
    static final Duration BOOKMARK_PERIOD = Duration.ofSeconds(30);

    private final ApiSemantics api;

    Watches(ApiSemantics api) {
        this.api = api;
    }

    MockResponse open(RecordedRequest request, ApiPath path, QueryParams q) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(q.getOrEmpty("labelSelector"));
            fields = FieldSelector.parse(q.getOrEmpty("fieldSelector"), path.group(), path.resource());
        } catch (IllegalArgumentException e) {
            return StatusResponses.status(400, "BadRequest", e.getMessage(), null);
        }
        String rv = q.getOrEmpty("resourceVersion");
        long since = 0;
        if (!rv.isEmpty()) {
            try {
                since = Long.parseLong(rv);
            } catch (NumberFormatException e) {
                return StatusResponses.status(400, "BadRequest", "resourceVersion: Invalid value: \"" + rv
                        + "\": must be a non-negative integer", null);
            }
        }
        boolean websocket = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        String group = path.group();
        String apiVersion = group.isEmpty() ? path.version() : group + "/" + path.version();
        String kind = Discovery.kindOf(group, path.resource()).orElse("");
        MockResponse response;
        api.lock().lock();
        try {
            long current = api.currentVersion();
            if (since > 0 && api.lastDeletion(path) > since) {
                Status gone = new Status(410, "Expired", "too old resource version: " + since + " (" + current + ")");
                return websocket ? errorSocket(gone) : errorStream(gone);
            }
            String target = path.path() + "?" + q.without(Set.of("labelSelector", "fieldSelector"));
            if (!target.contains("watch=")) {
                target += "&watch=true";
            }
            if (!websocket) {
                return httpStream(request, target, labels, fields, since, bookmarkKind(q, kind), apiVersion,
                        timeout(q));
            }
            response = api.store().dispatch(ApiSemantics.internal("GET", target, "", null));
        } finally {
            api.lock().unlock();
        }
        WebSocketListener delegate = response.getWebSocketListener();
        if (delegate == null) {
            return response;
        }
        long from = since;
        boolean bookmarks = !bookmarkKind(q, kind).isEmpty();
        return response.withWebSocketUpgrade(new WebSocketListener() {
            private Filtering socket;

            @Override
            public void onBeforeAccept(WebSocket webSocket, Response r) {
                delegate.onBeforeAccept(webSocket, r);
            }

            @Override
            public void onOpen(WebSocket webSocket, Response r) {
                socket = new Filtering(webSocket, labels, fields, from);
                delegate.onOpen(socket, r);
                if (bookmarks) {
                    webSocket.send(bookmark(kind, apiVersion));
                }
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                delegate.onMessage(socket != null ? socket : webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                delegate.onMessage(socket != null ? socket : webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                delegate.onClosing(socket != null ? socket : webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                delegate.onClosed(socket != null ? socket : webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response r) {
                delegate.onFailure(socket != null ? socket : webSocket, t, r);
            }
        });
    }

    private static String bookmarkKind(QueryParams q, String kind) {
        return q.flag("allowWatchBookmarks") ? kind : "";
    }

    private String bookmark(String kind, String apiVersion) {
        ObjectNode event = ApiSemantics.JSON.createObjectNode().put("type", "BOOKMARK");
        event.putObject("object").put("kind", kind).put("apiVersion", apiVersion).putObject("metadata")
                .put("resourceVersion", Long.toString(api.currentVersion()));
        return event.toString();
    }

    /**
     * A watch over plain HTTP, streamed as kube-apiserver streams it: one JSON event per line as each change
     * happens (the mock's watch feeds {@link Filtering} through a {@link LineSocket}), the initial BOOKMARK and one
     * every {@link #BOOKMARK_PERIOD} when asked for, ended after {@code timeoutSeconds}.
     */
    private MockResponse httpStream(RecordedRequest request, String target, LabelSelector labels,
            FieldSelector fields, long since, String bookmarkKind, String apiVersion, Duration timeout) {
        return new StreamingResponse(timeout, sink -> {
            Filtering filtering = new Filtering(new LineSocket(sink, request), labels, fields, since);
            MockResponse mock;
            api.lock().lock();
            try {
                mock = api.store().dispatch(ApiSemantics.internal("GET", target, "", null));
                if (mock.getWebSocketListener() == null) {
                    sink.end();
                    return;
                }
                mock.getWebSocketListener().onOpen(filtering, mock);
            } finally {
                api.lock().unlock();
            }
            WebSocketListener watch = mock.getWebSocketListener();
            sink.onEnd(() -> watch.onClosed(filtering, 1000, ""));
            if (!bookmarkKind.isEmpty()) {
                sink.writeLine(bookmark(bookmarkKind, apiVersion));
                sink.every(BOOKMARK_PERIOD, () -> sink.writeLine(bookmark(bookmarkKind, apiVersion)));
            }
        });
    }

    /** {@code timeoutSeconds}, else the longest a real server keeps a watch open by default (its minimum is 30 min). */
    private static Duration timeout(QueryParams q) {
        try {
            long seconds = Long.parseLong(q.get("timeoutSeconds").orElse("1800"));
            return Duration.ofSeconds(seconds > 0 ? seconds : 1800);
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1800);
        }
    }

    /** The events the mock sends to a WebSocket, written as the lines of an HTTP watch response. */
    private record LineSocket(StreamingResponse.Sink sink, RecordedRequest request) implements WebSocket {
        @Override
        public boolean send(String text) {
            return sink.writeLine(text);
        }

        @Override
        public boolean send(byte[] bytes) {
            return sink.writeLine(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public boolean close(int code, String reason) {
            sink.end();
            return true;
        }
    }

    private record Status(int code, String reason, String message) {
        String event() {
            ObjectNode event = ApiSemantics.JSON.createObjectNode().put("type", "ERROR");
            event.putObject("object").put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                    .put("message", message).put("reason", reason).put("code", code).putObject("metadata");
            return event.toString();
        }
    }

    private static MockResponse errorSocket(Status status) {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send(status.event());
                webSocket.close(1000, "");
            }
        });
    }

    private static MockResponse errorStream(Status status) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(status.event() + "\n");
    }

    /** Passes on the mock's watch events as the API server would send them to this watch. */
    private static final class Filtering implements WebSocket {
        private final WebSocket socket;
        private final LabelSelector labels;
        private final FieldSelector fields;
        private final long since;
        private final Set<String> visible = new HashSet<>();

        Filtering(WebSocket socket, LabelSelector labels, FieldSelector fields, long since) {
            this.socket = socket;
            this.labels = labels;
            this.fields = fields;
            this.since = since;
        }

        @Override
        public RecordedRequest request() {
            return socket.request();
        }

        @Override
        public synchronized boolean send(String text) {
            JsonNode event;
            try {
                event = ApiSemantics.JSON.readTree(text);
            } catch (java.io.IOException e) {
                return socket.send(text);
            }
            String type = event.path("type").asText("");
            JsonNode object = event.path("object");
            if (!Set.of("ADDED", "MODIFIED", "DELETED").contains(type)) {
                return socket.send(text);
            }
            String key = ApiSemantics.storageKey(object);
            boolean matches = labels.matches(ApiSemantics.labelsOf(object)) && fields.matches(object);
            long rv = parse(object.path("metadata").path("resourceVersion").asText("0"));
            switch (type) {
                case "ADDED" -> {
                    if (!matches) {
                        return true;
                    }
                    boolean known = !visible.add(key);
                    if (since > 0 && rv <= since) {
                        return true;
                    }
                    return socket.send(known ? retype(event, "MODIFIED") : text);
                }
                case "MODIFIED" -> {
                    if (matches) {
                        return socket.send(visible.add(key) ? retype(event, "ADDED") : text);
                    }
                    return !visible.remove(key) || socket.send(retype(event, "DELETED"));
                }
                default -> {
                    return !(visible.remove(key) || (matches && since == 0)) || socket.send(text);
                }
            }
        }

        private static long parse(String rv) {
            try {
                return Long.parseLong(rv);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static String retype(JsonNode event, String type) {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            copy.put("type", type);
            return copy.toString();
        }

        @Override
        public boolean send(byte[] bytes) {
            return socket.send(bytes);
        }

        @Override
        public boolean close(int code, String reason) {
            return socket.close(code, reason);
        }
    }
}
