package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.kubeplatform.sim.api.Defaulting;
import io.jenkins.plugins.kubeplatform.sim.api.DeletePropagation;
import io.jenkins.plugins.kubeplatform.sim.api.FieldSelector;
import io.jenkins.plugins.kubeplatform.sim.api.GeneratedNames;
import io.jenkins.plugins.kubeplatform.sim.api.Generation;
import io.jenkins.plugins.kubeplatform.sim.api.GracefulDeletion;
import io.jenkins.plugins.kubeplatform.sim.api.LabelSelector;
import io.jenkins.plugins.kubeplatform.sim.api.Patches;
import io.jenkins.plugins.kubeplatform.sim.api.PodAdmission;
import io.jenkins.plugins.kubeplatform.sim.api.PodCreateRules;
import io.jenkins.plugins.kubeplatform.sim.api.PodSecurity;
import io.jenkins.plugins.kubeplatform.sim.api.PodStatusRules;
import io.jenkins.plugins.kubeplatform.sim.api.PodWarnings;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules;
import io.jenkins.plugins.kubeplatform.sim.api.PriorityClasses;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import io.jenkins.plugins.kubeplatform.sim.api.ResourceRequirementRules;
import io.jenkins.plugins.kubeplatform.sim.api.ServerSideApply;
import io.jenkins.plugins.kubeplatform.sim.api.StatusSubresource;
import io.jenkins.plugins.kubeplatform.sim.quota.LimitRanger;
import io.jenkins.plugins.kubeplatform.sim.quota.QuotaAdmission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request semantics of kube-apiserver that the mock's CRUD store lacks, applied in front of it: the real
 * {@code Status} for NotFound, AlreadyExists and Conflict, the NamespaceLifecycle check on create, label and field
 * selectors, paging, the three patch types and server-side apply (turned into reads and replaces of the store),
 * the status subresource ({@link StatusSubresource}: which part of a create, of a write of the object and of a write
 * of its status is kept), the defaults of built-in kinds ({@link Defaulting}), {@code dryRun=All}, deletion with
 * finalizers and a propagation policy ({@link DeletePropagation}), and watches that never silently lose a deletion
 * (410 Gone instead).
 */
final class ApiSemantics {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int GENERATE_NAME_ATTEMPTS = 8;
    private static final Set<String> SELECTION_PARAMS = Set.of("labelSelector", "fieldSelector", "limit",
            "continue", "resourceVersion", "resourceVersionMatch", "allowWatchBookmarks", "sendInitialEvents",
            "timeoutSeconds");

    private final KubernetesCrudDispatcher store;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per {@code group/resource}: the resource version that followed the latest deletion. */
    private final Map<String, Long> lastDeletion = new ConcurrentHashMap<>();
    private final Watches watches;

    private volatile boolean createMissingNamespaces;

    ApiSemantics(KubernetesCrudDispatcher store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.watches = new Watches(this);
    }

    /** Whether the last request handled was a dry run (so it persisted nothing). */
    static boolean isDryRun(QueryParams q) {
        return q.get("dryRun").isPresent();
    }

    MockResponse handle(RecordedRequest request, ApiPath path) {
        QueryParams q = QueryParams.parse(path.query());
        String method = request.getMethod();
        if (q.get("dryRun").isPresent() && !q.getOrEmpty("dryRun").equals("All")) {
            return StatusResponses.status(400, "BadRequest", "Invalid dryRun parameter: \"" + q.getOrEmpty("dryRun")
                    + "\": supported values: \"All\"", null);
        }
        try {
            if (path.subresource().equals("log") && path.resource().equals("pods") && method.equals("GET")) {
                JsonNode pod = current(path);
                return pod == null ? notFound(path) : PodLogs.log(pod, path, q);
            }
            if (path.subresource().equals("scale") && Set.of("deployments", "replicasets", "statefulsets",
                    "replicationcontrollers").contains(path.resource())) {
                return scale(request, path, q);
            }
            return switch (method) {
                case "GET" -> path.isWatch() ? watches.open(request, path, q)
                        : path.name().isEmpty() ? list(path, q) : get(request, path);
                case "POST" -> create(request, path, q);
                case "PUT" -> update(request, path, q);
                case "PATCH" -> patch(request, path, q);
                case "DELETE" -> path.name().isEmpty() ? deleteCollection(request, path, q) : delete(request, path, q);
                default -> store.dispatch(request);
            };
        } catch (BadBody e) {
            return StatusResponses.status(400, "BadRequest", e.getMessage(), null);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    private MockResponse get(RecordedRequest request, ApiPath path) {
        MockResponse response = store.dispatch(request);
        if (response.code() == 404 && isEmptyBody(response)) {
            return notFound(path);
        }
        return response;
    }

    private MockResponse list(ApiPath path, QueryParams q) throws BadBody {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(q.getOrEmpty("labelSelector"));
            fields = FieldSelector.parse(q.getOrEmpty("fieldSelector"), path.group(), path.resource());
        } catch (IllegalArgumentException e) {
            return StatusResponses.status(400, "BadRequest", e.getMessage(), null);
        }
        MockResponse response;
        lock.lock();
        try {
            response = store.dispatch(internal("GET", path.path(), q.without(SELECTION_PARAMS), null));
        } finally {
            lock.unlock();
        }
        if (response.code() != 200) {
            return response;
        }
        ObjectNode list = (ObjectNode) read(response.getBody().readUtf8());
        ArrayNode items = list.withArray("items");
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode item : items) {
            if (labels.matches(labelsOf(item)) && fields.matches(item)) {
                kept.add(item);
            }
        }
        kept.sort(Comparator.comparing(ApiSemantics::storageKey));
        String start = "";
        if (!q.getOrEmpty("continue").isEmpty()) {
            start = continueStart(q.getOrEmpty("continue"));
        }
        if (!start.isEmpty()) {
            String from = start;
            kept.removeIf(i -> storageKey(i).compareTo(from) <= 0);
        }
        long limit = q.get("limit").map(Long::parseLong).orElse(0L);
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", Long.toString(currentVersion()));
        if (limit > 0 && kept.size() > limit) {
            List<JsonNode> page = new ArrayList<>(kept.subList(0, (int) limit));
            String last = storageKey(page.get(page.size() - 1));
            ObjectNode token = JSON.createObjectNode().put("v", "meta.k8s.io/v1").put("rv", currentVersion())
                    .put("start", last + "\u0000");
            meta.put("continue", Base64.getEncoder().encodeToString(token.toString().getBytes(StandardCharsets.UTF_8)));
            if (labels.isEmpty() && fields.isEmpty()) {
                meta.put("remainingItemCount", kept.size() - limit);
            }
            kept = page;
        }
        items.removeAll();
        kept.forEach(items::add);
        list.put("kind", listKind(list, path));
        list.put("apiVersion", path.group().isEmpty() ? path.version() : path.group() + "/" + path.version());
        return StatusResponses.json(200, list.toString());
    }

    private static String listKind(ObjectNode list, ApiPath path) {
        JsonNode first = list.path("items").path(0);
        if (first.has("kind")) {
            return first.get("kind").asText() + "List";
        }
        return Discovery.kindOf(path.group(), path.resource()).map(k -> k + "List").orElse("List");
    }

    private static String continueStart(String token) throws BadBody {
        try {
            JsonNode t = JSON.readTree(Base64.getDecoder().decode(token));
            String start = t.path("start").asText("");
            return start.endsWith("\u0000") ? start.substring(0, start.length() - 1) : start;
        } catch (IOException | IllegalArgumentException e) {
            throw new BadBody("continue key is not valid: illegal base64 data");
        }
    }

    static String storageKey(JsonNode item) {
        JsonNode meta = item.path("metadata");
        String ns = meta.path("namespace").asText("");
        return ns.isEmpty() ? meta.path("name").asText("") : ns + "/" + meta.path("name").asText("");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labelsOf(JsonNode item) {
        JsonNode labels = item.path("metadata").path("labels");
        return labels.isObject() ? JSON.convertValue(labels, Map.class) : Map.of();
    }

    // ---- writes --------------------------------------------------------------------------------------------

    private MockResponse create(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        if (!path.subresource().isEmpty()) {
            return store.dispatch(request);
        }
        JsonNode body = body(request);
        lock.lock();
        try {
            MockResponse missingNamespace = checkNamespace(path);
            if (missingNamespace != null) {
                return missingNamespace;
            }
            String name = body.path("metadata").path("name").asText("");
            if (!name.isEmpty() && exists(objectPath(path, name))) {
                return status(409, "AlreadyExists", path, name, "already exists");
            }
            // a pod's name is generated after its mutating admission (admitPodCreate)
            if ((!path.group().isEmpty() || !path.resource().equals("pods")) && !generateName(path, body)) {
                return noFreeName(path, body);
            }
            Admitted admitted = admitCreate(path, body);
            if (admitted.refusal().isPresent()) {
                return withWarnings(admitted.refusal().get(), admitted.warnings());
            }
            body = createdGeneration(StatusSubresource.create(path.group(), path.resource(),
                    Defaulting.apply(path.group(), path.resource(), body)));
            if (isDryRun(q)) {
                ObjectNode created = ((ObjectNode) body).deepCopy();
                ObjectNode meta = created.with("metadata");
                if (!path.namespace().isEmpty()) {
                    meta.put("namespace", path.namespace());
                }
                meta.put("uid", UUID.randomUUID().toString());
                meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
                return withWarnings(StatusResponses.json(201, created.toString()), admitted.warnings());
            }
            charge(admitted.charged());
            MockResponse response = store.dispatch(withBody(request, path.path() + query(path), body));
            if (response.code() == 200) {
                response.setResponseCode(201);
            }
            return withWarnings(response, admitted.warnings());
        } finally {
            lock.unlock();
        }
    }

    /** A generated name not taken yet, drawn a few times as the registry retries a taken one; empty if none. */
    private Optional<String> freeGeneratedName(ApiPath path, String generateName) {
        for (int attempt = 0; attempt < GENERATE_NAME_ATTEMPTS; attempt++) {
            String candidate = GeneratedNames.generate(generateName);
            if (!exists(objectPath(path, candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private MockResponse update(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        JsonNode body = body(request);
        lock.lock();
        try {
            JsonNode current = current(path);
            if (current == null) {
                return notFound(path);
            }
            String rv = body.path("metadata").path("resourceVersion").asText("");
            if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asText())) {
                return conflict(path);
            }
            JsonNode updated = withGeneration(path, current, Defaulting.apply(path.group(), path.resource(),
                    subresourceRule(path, current, ServerSideApply.recordUpdate(current, body, manager(request, q),
                            path.subresource(), Patches.BUILT_IN_GROUPS.contains(path.group()), clock.instant()))));
            Optional<MockResponse> invalid = invalidPodUpdate(path, current, updated);
            if (invalid.isEmpty() && path.subresource().isEmpty()) {
                invalid = invalidTemplate(path, path.name(), updated);
            }
            if (invalid.isEmpty()) {
                invalid = newFinalizersWhileDeleting(path, current, updated);
            }
            if (invalid.isPresent()) {
                return invalid.get();
            }
            Admitted admitted = admitUpdate(path, current, updated);
            if (admitted.refusal().isPresent()) {
                return withWarnings(admitted.refusal().get(), admitted.warnings());
            }
            updated = DeletePropagation.keepDeletion(current, updated);
            if (isDryRun(q)) {
                return withWarnings(StatusResponses.json(200, updated.toString()), admitted.warnings());
            }
            return withWarnings(finishDeletion(path, updated,
                    store.dispatch(withBody(request, storePath(path) + query(path), updated))), admitted.warnings());
        } finally {
            lock.unlock();
        }
    }

    private MockResponse patch(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        String type = mediaType(request.getHeader("Content-Type"));
        boolean builtIn = Patches.BUILT_IN_GROUPS.contains(path.group());
        boolean apply = type.equals("application/apply-patch+yaml");
        if (!Set.of("application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml").contains(type)
                || (type.equals("application/strategic-merge-patch+json") && !builtIn)) {
            return StatusResponses.status(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                    + "format - accepted media types include: application/json-patch+json, "
                    + "application/merge-patch+json, application/apply-patch+yaml", null);
        }
        if (apply && q.getOrEmpty("fieldManager").isEmpty()) {
            return StatusResponses.status(400, "BadRequest", "PATCH " + path.path()
                    + ": fieldManager is required for apply requests", null);
        }
        JsonNode patch;
        try {
            patch = apply ? YAML.readTree(request.getBody().readUtf8()) : JSON.readTree(request.getBody().readUtf8());
        } catch (IOException e) {
            throw new BadBody("error decoding patch: " + e.getMessage());
        }
        lock.lock();
        try {
            JsonNode current = current(path);
            if (current == null && !apply) {
                return notFound(path);
            }
            if (current == null) {
                MockResponse missingNamespace = checkNamespace(path);
                if (missingNamespace != null) {
                    return missingNamespace;
                }
            }
            JsonNode updated;
            switch (type) {
                case "application/json-patch+json" -> {
                    try {
                        updated = Patches.jsonPatch(patch, current);
                    } catch (RuntimeException e) {
                        return StatusResponses.status(422, "Invalid", "the server rejected our request due to an "
                                + "error in our request: " + e.getMessage(), null);
                    }
                }
                case "application/merge-patch+json" -> updated = Patches.mergePatch(current, patch);
                case "application/strategic-merge-patch+json" -> updated = Patches.strategicMergePatch(current, patch);
                default -> {
                    if (!(patch instanceof ObjectNode config)) {
                        throw new BadBody("error decoding YAML: the applied configuration is not an object");
                    }
                    ServerSideApply.Result result = ServerSideApply.apply(current, config,
                            q.getOrEmpty("fieldManager"), q.flag("force"), builtIn, clock.instant());
                    if (!result.conflicts().isEmpty()) {
                        return applyConflict(path, result.conflicts());
                    }
                    updated = result.object();
                }
            }
            if (!apply) {
                String precondition = patch.path("metadata").path("resourceVersion").asText("");
                if (!precondition.isEmpty()
                        && !precondition.equals(current.path("metadata").path("resourceVersion").asText())) {
                    return conflict(path);
                }
                updated = ServerSideApply.recordUpdate(current, updated, manager(request, q), path.subresource(),
                        builtIn, clock.instant());
            }
            if (current == null) {
                return applyCreate(request, path, q, (ObjectNode) updated);
            }
            ((ObjectNode) updated.path("metadata")).put("resourceVersion",
                    current.path("metadata").path("resourceVersion").asText());
            updated = withGeneration(path, current, Defaulting.apply(path.group(), path.resource(),
                    subresourceRule(path, current, updated)));
            Optional<MockResponse> invalid = invalidPodUpdate(path, current, updated);
            if (invalid.isEmpty() && path.subresource().isEmpty()) {
                invalid = invalidTemplate(path, path.name(), updated);
            }
            if (invalid.isEmpty()) {
                invalid = newFinalizersWhileDeleting(path, current, updated);
            }
            if (invalid.isPresent()) {
                return invalid.get();
            }
            Admitted admitted = admitUpdate(path, current, updated);
            if (admitted.refusal().isPresent()) {
                return withWarnings(admitted.refusal().get(), admitted.warnings());
            }
            updated = DeletePropagation.keepDeletion(current, updated);
            if (isDryRun(q)) {
                return withWarnings(StatusResponses.json(200, updated.toString()), admitted.warnings());
            }
            MockResponse response = finishDeletion(path, updated,
                    store.dispatch(internal("PUT", storePath(path), "", updated)));
            if (response.code() == 202) {
                response.setResponseCode(200);
            }
            return withWarnings(response, admitted.warnings());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pod's spec is immutable but for the fields {@link PodUpdateRules} lists: any other change through PUT or PATCH
     * of the pod itself is 422 Invalid, as {@code ValidatePodUpdate} answers. A write of its {@code status} (PUT, any
     * patch, apply) is held to {@link PodStatusRules}, as {@code ValidatePodStatusUpdate} answers; {@code updated} is
     * already what the status subresource would store. Other subresources are not checked here.
     */
    private static Optional<MockResponse> invalidPodUpdate(ApiPath path, JsonNode current, JsonNode updated) {
        if (!path.group().isEmpty() || !path.resource().equals("pods")) {
            return Optional.empty();
        }
        if (path.subresource().isEmpty()) {
            return invalidPod(path.name(), PodUpdateRules.check(current, updated));
        }
        if (path.subresource().equals("status")) {
            return invalidPod(path.name(), PodStatusRules.check(current, updated));
        }
        return Optional.empty();
    }

    /**
     * A workload whose pod template has a container requesting more than its limit: 422 Invalid, as the kind's
     * validation ({@code ValidatePodTemplateSpec}, {@link ResourceRequirementRules}) answers a create or an update.
     */
    private static Optional<MockResponse> invalidTemplate(ApiPath path, String name, JsonNode object) {
        List<PodUpdateRules.FieldError> errors = ResourceRequirementRules.template(path.group(), path.resource(),
                object);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return invalid(path.group(), Discovery.kindOf(path.group(), path.resource()).orElse(path.resource()), name,
                errors);
    }

    /**
     * A write that adds finalizers to an object being deleted: 422 Invalid with a Forbidden cause on
     * {@code metadata.finalizers}, worded as {@code ValidateNoNewFinalizers} words it (apimachinery
     * pkg/api/validation/objectmeta.go, called from {@code ValidateObjectMetaUpdate} for every update).
     */
    private static Optional<MockResponse> newFinalizersWhileDeleting(ApiPath path, JsonNode current,
            JsonNode updated) {
        List<String> added = DeletePropagation.newFinalizersWhileDeleting(current, updated);
        if (added.isEmpty()) {
            return Optional.empty();
        }
        String kind = current.path("kind").asText(Discovery.kindOf(path.group(), path.resource()).orElse(""));
        String qualified = path.group().isEmpty() ? kind : kind + "." + path.group();
        String body = "Forbidden: no new finalizers can be added if the object is being deleted, found new "
                + "finalizers []string{" + String.join(", ", added.stream().map(f -> "\"" + f + "\"").toList()) + "}";
        String message = qualified + " \"" + path.name() + "\" is invalid: metadata.finalizers: " + body;
        io.fabric8.kubernetes.api.model.Status status = details(422, "Invalid", message, path.group(), kind,
                path.name());
        status.getDetails().setCauses(List.of(new io.fabric8.kubernetes.api.model.StatusCauseBuilder()
                .withReason("FieldValueForbidden").withMessage(body).withField("metadata.finalizers").build()));
        return Optional.of(StatusResponses.status(422, "Invalid", message, status));
    }

    /**
     * What admission answers a write: a refusal to send instead, or the resource quotas whose new usage to write
     * before the object is stored (not on a dry run); and the warnings to add to the response either way. A refusal
     * by a validating plugin still carries the warnings recorded before it: the registry's ({@code WarningsOnCreate}
     * in {@code rest.BeforeCreate}, which runs before validating admission) and those of the plugins before it, since
     * the warning recorder writes each as a header of whatever response the request ends with.
     */
    private record Admitted(Optional<MockResponse> refusal, List<String> warnings, List<ObjectNode> charged) {

        static Admitted warn(List<String> warnings) {
            return new Admitted(Optional.empty(), warnings, List.of());
        }

        static Admitted refuse(Optional<MockResponse> refusal) {
            return new Admitted(refusal, List.of(), List.of());
        }

        static Admitted refuse(Optional<MockResponse> refusal, List<String> warnings) {
            return new Admitted(refusal, warnings, List.of());
        }
    }

    /**
     * The admission of a create: a pod goes through {@link #admitPodCreate}; a namespace's pod-security labels must
     * be valid ({@link PodSecurity#namespaceLabelErrors}); a workload's pod template gets PodSecurity warnings; any
     * other namespaced object is held to the namespace's resource quotas ({@link #resourceQuota}).
     */
    private Admitted admitCreate(ApiPath path, JsonNode object) {
        if (!path.subresource().isEmpty() || !(object instanceof ObjectNode pod)) {
            return Admitted.warn(List.of());
        }
        if (path.group().isEmpty() && path.resource().equals("pods")) {
            return admitPodCreate(path, pod);
        }
        if (path.group().isEmpty() && path.resource().equals("namespaces")) {
            return Admitted.refuse(invalid("Namespace", object.path("metadata").path("name").asText(""),
                    PodSecurity.namespaceLabelErrors(labelsOf(object), null)));
        }
        if (isPriorityClass(path)) {
            return priorityClass(path, object, null);
        }
        Optional<MockResponse> invalidTemplate = invalidTemplate(path, object.path("metadata").path("name").asText(""),
                object);
        if (invalidTemplate.isPresent()) {
            return Admitted.refuse(invalidTemplate);
        }
        return resourceQuota(path, object.path("metadata").path("name").asText(""),
                Defaulting.apply(path.group(), path.resource(), object), templateWarnings(path, object));
    }

    /**
     * The ResourceQuota plugin, the last validating one, on a create in a namespace ({@link QuotaAdmission}): a
     * refusal is 403 Forbidden naming the object ({@code admission.NewForbidden}); an admitted create carries the
     * quotas it charges, written before the object is stored (as {@code checkQuotas} updates the quota status before
     * admitting), all under the server's write lock so that creates in quick succession each see the usage the one
     * before them added. Events are not counted ({@code DefaultIgnoredResources}).
     */
    private Admitted resourceQuota(ApiPath path, String name, JsonNode object, List<String> warnings) {
        if (path.namespace().isEmpty() || (path.resource().equals("events")
                && Set.of("", "events.k8s.io").contains(path.group()))) {
            return Admitted.warn(warnings);
        }
        List<JsonNode> quotas = listIn(path.namespace(), "resourcequotas");
        if (quotas.isEmpty()) {
            return Admitted.warn(warnings);
        }
        ObjectNode namespaced = object.deepCopy();
        namespaced.with("metadata").put("namespace", path.namespace());
        QuotaAdmission.Decision decision = QuotaAdmission.create(path.group(), path.resource(), namespaced, quotas,
                clock.instant());
        if (decision.refusal().isPresent()) {
            return Admitted.refuse(Optional.of(forbidden(path, name, decision.refusal().get())), warnings);
        }
        return new Admitted(Optional.empty(), warnings, decision.charged());
    }

    /** Writes the usage admission charged to resource quotas (the plugin's {@code UpdateQuotaStatus}). */
    private void charge(List<ObjectNode> quotas) {
        for (ObjectNode quota : quotas) {
            store.dispatch(internal("PUT", "/api/v1/namespaces/" + quota.path("metadata").path("namespace").asText()
                    + "/resourcequotas/" + quota.path("metadata").path("name").asText(), "", quota));
        }
    }

    private static boolean isPriorityClass(ApiPath path) {
        return path.group().equals("scheduling.k8s.io") && path.resource().equals("priorityclasses")
                && path.subresource().isEmpty();
    }

    /**
     * A PriorityClass create ({@code old} null) or update: validation ({@link PriorityClasses#validate}, 422), then the
     * Priority plugin's single-global-default rule (403).
     */
    private Admitted priorityClass(ApiPath path, JsonNode pc, JsonNode old) {
        String name = pc.path("metadata").path("name").asText("");
        Optional<MockResponse> invalid = invalid("scheduling.k8s.io", "PriorityClass", name,
                PriorityClasses.validate(Defaulting.apply(path.group(), path.resource(), pc), old));
        if (invalid.isPresent()) {
            return Admitted.refuse(invalid);
        }
        return Admitted.refuse(PriorityClasses.defaultConflict(pc, items("/apis/scheduling.k8s.io/v1/priorityclasses"))
                .map(cause -> {
                    String message = "priorityclasses.scheduling.k8s.io \"" + name + "\" is forbidden: " + cause;
                    return StatusResponses.status(403, "Forbidden", message,
                            details(403, "Forbidden", message, "scheduling.k8s.io", "priorityclasses", name));
                }));
    }

    /**
     * The validating admission of an update (after validation): a namespace's changed pod-security labels must be
     * valid; a pod update the PodSecurity plugin counts as significant is held to the enforce level (403) and warned
     * at the warn level; a workload's pod template gets warnings.
     */
    private Admitted admitUpdate(ApiPath path, JsonNode current, JsonNode updated) {
        if (isPriorityClass(path)) {
            return priorityClass(path, updated, current);
        }
        if (path.group().isEmpty() && path.resource().equals("namespaces") && path.subresource().isEmpty()) {
            Optional<MockResponse> invalid = invalid("Namespace", path.name(),
                    PodSecurity.namespaceLabelErrors(labelsOf(updated), labelsOf(current)));
            if (invalid.isPresent()) {
                return Admitted.refuse(invalid);
            }
            return Admitted.warn(PodSecurity.namespaceWarnings(path.name(), labelsOf(updated), labelsOf(current),
                    podsIn(path.name())));
        }
        if (path.group().isEmpty() && path.resource().equals("pods")
                && (path.subresource().isEmpty() || path.subresource().equals("ephemeralcontainers"))) {
            // the registry's warnings come with the main resource only (the subresources' strategies have none)
            List<String> registry = path.subresource().isEmpty() ? PodWarnings.pod(updated) : List.of();
            if (!PodSecurity.significantPodUpdate(updated, current)) {
                return Admitted.warn(registry);
            }
            Admitted security = podSecurity(path.namespace(), path.name(), updated);
            return security.refusal().isPresent() ? Admitted.refuse(security.refusal(), registry)
                    : Admitted.warn(concat(registry, security.warnings()));
        }
        return path.subresource().isEmpty() ? Admitted.warn(templateWarnings(path, updated)) : Admitted.warn(List.of());
    }

    /**
     * A pod create goes through the mutating admission plugins in the default order (the namespace's LimitRange
     * defaults, {@link LimitRanger#mutate}; then {@link PodAdmission}: a refusal is 403 Forbidden,
     * {@code pods "NAME" is forbidden: ...}, NAME being the generateName when the pod has no name yet, as
     * {@code admission.NewForbidden} writes it), then gets its generated name (the registry's {@code BeforeCreate}),
     * then validation ({@link PodCreateRules}: 422 Invalid, as {@code ValidatePodCreate} answers), then the
     * validating plugins on the pod with its defaults, each refusal 403 Forbidden naming the generated name, as
     * {@code AdmissionToValidateObjectFunc} passes it: LimitRanger ({@link LimitRanger#validate}), PodSecurity
     * ({@link PodSecurity}), ResourceQuota ({@link #resourceQuota}). {@code pod} is changed by the mutating plugins and
     * the name generation.
     */
    private Admitted admitPodCreate(ApiPath path, ObjectNode pod) {
        ObjectNode meta = pod.with("metadata");
        String name = meta.path("name").asText("");
        String shown = name.isEmpty() ? meta.path("generateName").asText("Unknown") : name;
        List<JsonNode> limitRanges = listIn(path.namespace(), "limitranges");
        LimitRanger.mutate(pod, limitRanges);
        Optional<PodAdmission.Refusal> refused = PodAdmission.mutate(path.namespace(), pod, new PodAdmission.Lookups() {
            @Override
            public JsonNode serviceAccount(String name) {
                return current(ApiPath.parse("/api/v1/namespaces/" + path.namespace() + "/serviceaccounts/" + name));
            }

            @Override
            public List<JsonNode> priorityClasses() {
                return items("/apis/scheduling.k8s.io/v1/priorityclasses");
            }
        });
        if (refused.isPresent()) {
            return Admitted.refuse(Optional.of(forbidden(shown, refused.get().code(), refused.get().reason(),
                    refused.get().cause())));
        }
        if (!generateName(path, pod)) {
            return Admitted.refuse(Optional.of(noFreeName(path, pod)));
        }
        Optional<MockResponse> invalid = invalid("Pod", meta.path("name").asText(""), PodCreateRules.check(pod));
        if (invalid.isPresent()) {
            return Admitted.refuse(invalid);
        }
        JsonNode defaulted = Defaulting.apply("", "pods", pod);
        List<String> registry = PodWarnings.pod(pod);
        Optional<String> outOfRange = LimitRanger.validate(defaulted, limitRanges);
        if (outOfRange.isPresent()) {
            return Admitted.refuse(Optional.of(forbidden(meta.path("name").asText(""), 403, "Forbidden",
                    outOfRange.get())), registry);
        }
        Admitted security = podSecurity(path.namespace(), meta.path("name").asText(""), defaulted);
        if (security.refusal().isPresent()) {
            return Admitted.refuse(security.refusal(), registry);
        }
        return resourceQuota(path, meta.path("name").asText(""), defaulted, concat(registry, security.warnings()));
    }

    /** The PodSecurity plugin on a pod create or significant update in {@code namespace}. */
    private Admitted podSecurity(String namespace, String name, JsonNode pod) {
        PodSecurity.Decision decision = PodSecurity.pod(namespaceLabels(namespace), pod);
        if (decision.refusal().isPresent()) {
            return Admitted.refuse(Optional.of(forbidden(name, 403, "Forbidden", decision.refusal().get())));
        }
        return Admitted.warn(decision.warnings());
    }

    /**
     * The registry's name generation on create ({@code BeforeCreate}, {@link GeneratedNames}): an object with a
     * {@code generateName} and no name gets a generated name that is not taken, drawn again a few times as the
     * registry retries a taken one; false when every draw was taken.
     */
    private boolean generateName(ApiPath path, JsonNode object) {
        if (!(object.get("metadata") instanceof ObjectNode meta) || !meta.path("name").asText("").isEmpty()
                || meta.path("generateName").asText("").isEmpty()) {
            return true;
        }
        Optional<String> free = freeGeneratedName(path, meta.path("generateName").asText());
        free.ifPresent(n -> meta.put("name", n));
        return free.isPresent();
    }

    private MockResponse noFreeName(ApiPath path, JsonNode object) {
        return status(409, "AlreadyExists", path, object.path("metadata").path("generateName").asText(),
                "already exists");
    }

    /**
     * The registry's warnings for a workload's pod template ({@link PodWarnings}), then PodSecurity's, as the
     * strategy's run before validating admission (nothing for kinds without a template).
     */
    private List<String> templateWarnings(ApiPath path, JsonNode object) {
        if (path.namespace().isEmpty() || !PodSecurity.hasPodTemplate(path.group(), path.resource())) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>(PodWarnings.template(path.group(), path.resource(), object));
        warnings.addAll(PodSecurity.template(namespaceLabels(path.namespace()), path.group(), path.resource(),
                Defaulting.apply(path.group(), path.resource(), object)));
        return warnings;
    }

    private List<JsonNode> podsIn(String namespace) {
        return listIn(namespace, "pods");
    }

    /** The stored objects of a core {@code resource} in {@code namespace}. */
    private List<JsonNode> listIn(String namespace, String resource) {
        return items("/api/v1/namespaces/" + namespace + "/" + resource);
    }

    /** The stored objects of a collection path. */
    private List<JsonNode> items(String collection) {
        MockResponse r = store.dispatch(internal("GET", collection, "", null));
        List<JsonNode> items = new ArrayList<>();
        if (r.code() == 200) {
            read(r.getBody().readUtf8()).path("items").forEach(items::add);
        }
        return items;
    }

    private Map<String, String> namespaceLabels(String namespace) {
        JsonNode ns = current(ApiPath.parse("/api/v1/namespaces/" + namespace));
        return ns == null ? Map.of() : labelsOf(ns);
    }

    /** A pod refused by an admission plugin, as {@code admission.NewForbidden} words it. */
    private static MockResponse forbidden(String name, int code, String reason, String cause) {
        String message = "pods \"" + name + "\" is forbidden: " + cause;
        return StatusResponses.status(code, reason, message, details(code, reason, message, "", "pods", name));
    }

    /** An object of any resource refused by an admission plugin ({@code admission.NewForbidden}). */
    private static MockResponse forbidden(ApiPath path, String name, String cause) {
        String message = qualified(path) + " \"" + name + "\" is forbidden: " + cause;
        return StatusResponses.status(403, "Forbidden", message, details(403, "Forbidden", message, path.group(),
                path.resource(), name));
    }

    private static List<String> concat(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    /**
     * Admission warnings as kube-apiserver sends them: one {@code Warning: 299 - "TEXT"} header each, the text quoted
     * with its backslashes and double quotes escaped ({@code net.NewWarningHeader}).
     */
    private static MockResponse withWarnings(MockResponse response, List<String> warnings) {
        for (String w : warnings) {
            response.addHeader("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return response;
    }

    /** The 422 Invalid Status of a pod with these field errors (none: empty). */
    private static Optional<MockResponse> invalidPod(String name, List<PodUpdateRules.FieldError> errors) {
        return invalid("Pod", name, errors);
    }

    /** The 422 Invalid Status of a core object of {@code kind} with these field errors (none: empty). */
    private static Optional<MockResponse> invalid(String kind, String name, List<PodUpdateRules.FieldError> errors) {
        return invalid("", kind, name, errors);
    }

    /** The 422 Invalid Status of an object of {@code group}'s {@code kind} ({@code Kind.group "name" is invalid}). */
    private static Optional<MockResponse> invalid(String group, String kind, String name,
            List<PodUpdateRules.FieldError> errors) {
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        List<String> messages = errors.stream().map(PodUpdateRules.FieldError::message).toList();
        String message = kind + (group.isEmpty() ? "" : "." + group) + " \"" + name + "\" is invalid: "
                + (messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]");
        io.fabric8.kubernetes.api.model.Status status = details(422, "Invalid", message, group, kind, name);
        status.getDetails().setCauses(errors.stream().map(e -> new io.fabric8.kubernetes.api.model.StatusCauseBuilder()
                .withReason(e.reason()).withMessage(e.body()).withField(e.field()).build()).toList());
        return Optional.of(StatusResponses.status(422, "Invalid", message, status));
    }

    /**
     * {@code POST pods/NAME/binding}, as the scheduler binds: sets {@code spec.nodeName} of a pod that has none,
     * merges the binding's annotations and sets the PodScheduled condition; 409 when the pod is already assigned, is
     * being deleted or still has scheduling gates (k8s.io/kubernetes pkg/registry/core/pod/storage
     * {@code BindingREST.setPodNodeAndMetadata}).
     */
    MockResponse bind(RecordedRequest request, ApiPath path) {
        JsonNode binding;
        try {
            binding = body(request);
        } catch (BadBody e) {
            return StatusResponses.status(400, "BadRequest", e.getMessage(), null);
        }
        if (!binding.path("metadata").path("name").asText("").equals(path.name())) {
            return StatusResponses.status(400, "BadRequest", "name in URL does not match name in Binding object",
                    null);
        }
        String node = binding.path("target").path("name").asText("");
        lock.lock();
        try {
            JsonNode current = current(path);
            if (current == null) {
                return notFound(path);
            }
            String assigned = current.path("spec").path("nodeName").asText("");
            String refusal = current.path("metadata").hasNonNull("deletionTimestamp")
                    ? "pod " + path.name() + " is being deleted, cannot be assigned to a host"
                    : !assigned.isEmpty() ? "pod " + path.name() + " is already assigned to node \"" + assigned + "\""
                    : current.path("spec").path("schedulingGates").size() > 0
                    ? "pod " + path.name() + " has non-empty .spec.schedulingGates"
                    : null;
            if (refusal != null) {
                String message = "Operation cannot be fulfilled on pods/binding \"" + path.name() + "\": " + refusal;
                return StatusResponses.status(409, "Conflict", message,
                        details(409, "Conflict", message, "", "pods/binding", path.name()));
            }
            ObjectNode pod = current.deepCopy();
            ((ObjectNode) pod.path("spec")).put("nodeName", node);
            if (binding.path("metadata").path("annotations").isObject()) {
                pod.with("metadata").with("annotations").setAll((ObjectNode) binding.path("metadata")
                        .path("annotations"));
            }
            scheduled(pod.with("status"));
            String podPath = path.path().substring(0, path.path().length() - "/binding".length());
            MockResponse response = store.dispatch(internal("PUT", podPath, "", pod));
            if (response.code() >= 300) {
                return response;
            }
            return StatusResponses.json(201, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Success\",\"code\":201}");
        } finally {
            lock.unlock();
        }
    }

    /** {@code UpdatePodCondition(PodScheduled=True)}: the transition time changes only with the status. */
    private void scheduled(ObjectNode status) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals("PodScheduled")) {
                ObjectNode condition = (ObjectNode) c;
                if (!condition.path("status").asText().equals("True")) {
                    condition.put("lastTransitionTime", now);
                }
                condition.put("status", "True");
                condition.remove(List.of("reason", "message"));
                return;
            }
        }
        conditions.addObject().put("type", "PodScheduled").put("status", "True").put("lastTransitionTime", now);
        if (!status.has("phase")) {
            status.put("phase", "Pending");
        }
    }

    private MockResponse applyCreate(RecordedRequest request, ApiPath path, QueryParams q, ObjectNode applied) {
        Admitted admitted = admitCreate(path, applied);
        if (admitted.refusal().isPresent()) {
            return withWarnings(admitted.refusal().get(), admitted.warnings());
        }
        ObjectNode object = (ObjectNode) createdGeneration(StatusSubresource.create(path.group(), path.resource(),
                Defaulting.apply(path.group(), path.resource(), applied)));
        ObjectNode meta = object.with("metadata");
        meta.remove("resourceVersion");
        if (!path.namespace().isEmpty()) {
            meta.put("namespace", path.namespace());
        }
        if (isDryRun(q)) {
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            return withWarnings(StatusResponses.json(201, object.toString()), admitted.warnings());
        }
        String collection = path.path().substring(0, path.path().lastIndexOf('/'));
        charge(admitted.charged());
        MockResponse response = store.dispatch(internal("POST", collection, "", object));
        if (response.code() == 200) {
            response.setResponseCode(201);
        }
        return withWarnings(response, admitted.warnings());
    }

    private MockResponse delete(RecordedRequest request, ApiPath path, QueryParams q) {
        JsonNode options = deleteOptions(request);
        Optional<DeletePropagation.Invalid> invalid = DeletePropagation.validate(options, q);
        if (invalid.isPresent()) {
            return invalidDeleteOptions(invalid.get());
        }
        lock.lock();
        try {
            JsonNode current = current(path);
            if (current == null) {
                return notFound(path);
            }
            Optional<String> failed = failedPrecondition(request, current);
            if (failed.isPresent()) {
                return conflict(path, failed.get());
            }
            if (isDryRun(q)) {
                return StatusResponses.json(200, current.toString());
            }
            if (GracefulDeletion.applies(path.group(), path.resource(), path.subresource())) {
                // BeforeDelete decides the grace period first; the garbage-collection finalizers come on top
                GracefulDeletion.Decision graceful = GracefulDeletion.decide(current,
                        GracefulDeletion.requestedGrace(options, q), clock.instant());
                if (graceful instanceof GracefulDeletion.Pending) {
                    return StatusResponses.json(200, current.toString());
                }
                if (graceful instanceof GracefulDeletion.Mark mark) {
                    return keepTerminating(path, mark.updated(), DeletePropagation.decide(path.group(),
                            path.version(), path.resource(), current, options, q, clock.instant()));
                }
            }
            DeletePropagation.Decision decision = DeletePropagation.decide(path.group(), path.version(),
                    path.resource(), current, options, q, clock.instant());
            if (decision instanceof DeletePropagation.MarkDeleting marked) {
                MockResponse kept = store.dispatch(internal("PUT", path.path(), "", marked.updated()));
                return kept.code() >= 300 ? kept
                        : StatusResponses.json(marked.accepted() ? 202 : 200, kept.getBody().readUtf8());
            }
            MockResponse response = store.dispatch(request);
            if (response.code() >= 300) {
                return response.code() == 404 ? notFound(path) : response;
            }
            if (current(path) == null) {
                lastDeletion.put(resourceKey(path), store.requestResourceVersion());
            }
            return isEmptyBody(response) ? StatusResponses.json(200, current.toString()) : response;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A write that removed the last finalizer of an object being deleted: the store removed the object (and answered
     * with no body); the real server answers with the object, and a watch from before must now see a 410.
     */
    private MockResponse finishDeletion(ApiPath path, JsonNode updated, MockResponse response) {
        if (response.code() != 200 || !DeletePropagation.finishesDeletion(updated)) {
            return response;
        }
        lastDeletion.put(resourceKey(path), store.requestResourceVersion());
        return isEmptyBody(response) ? StatusResponses.json(200, updated.toString()) : response;
    }

    /** 422 for {@code DeleteOptions} that {@code ValidateDeleteOptions} rejects. */
    private static MockResponse invalidDeleteOptions(DeletePropagation.Invalid invalid) {
        io.fabric8.kubernetes.api.model.Status status = details(422, "Invalid", invalid.message(), "meta.k8s.io",
                "DeleteOptions", "");
        status.getDetails().setCauses(List.of(new io.fabric8.kubernetes.api.model.StatusCauseBuilder()
                .withReason(invalid.reason()).withMessage(invalid.cause()).withField(invalid.field()).build()));
        return StatusResponses.status(422, "Invalid", invalid.message(), status);
    }

    /** The request's {@code DeleteOptions} body, null when it has none or it is not JSON. */
    private static JsonNode deleteOptions(RecordedRequest request) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return null;
        }
        try {
            return JSON.readTree(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code DeleteCollection} (apiserver handlers/delete.go, registry/store.go {@code Store.DeleteCollection}): the
     * {@code DeleteOptions} are validated once, then every listed object goes through {@link #delete} with the same
     * options, so graceful deletion, finalizers and the propagation policy (or each resource's default) apply to
     * each as to a single DELETE. The answer is the list as it was before the deletes.
     */
    private MockResponse deleteCollection(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        Optional<DeletePropagation.Invalid> invalid = DeletePropagation.validate(deleteOptions(request), q);
        if (invalid.isPresent()) {
            return invalidDeleteOptions(invalid.get());
        }
        if (isDryRun(q)) {
            return list(path, q);
        }
        return deleteEach(request, path, q);
    }

    /**
     * A pod whose graceful deletion starts or is shortened: kept with the {@code deletionTimestamp} and grace period
     * {@link GracefulDeletion} decided, plus the finalizers the delete's propagation policy leaves on it (apiserver
     * store.go {@code updateForGracefulDeletionAndFinalizers}); its kubelet ends it.
     */
    private MockResponse keepTerminating(ApiPath path, ObjectNode marked, DeletePropagation.Decision propagation) {
        boolean accepted = false;
        if (propagation instanceof DeletePropagation.MarkDeleting gc) {
            JsonNode finalizers = gc.updated().path("metadata").path("finalizers");
            if (finalizers.isArray()) {
                marked.with("metadata").set("finalizers", finalizers.deepCopy());
            }
            accepted = gc.accepted();
        }
        MockResponse kept = store.dispatch(internal("PUT", path.path(), "", marked));
        return kept.code() >= 300 ? kept : StatusResponses.json(accepted ? 202 : 200, kept.getBody().readUtf8());
    }

    /** Each object the collection's selectors list, deleted as one DELETE with the collection's options would. */
    private MockResponse deleteEach(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        MockResponse listed = list(path, QueryParams.parse(q.without(Set.of("limit", "continue"))));
        if (listed.code() != 200) {
            return listed;
        }
        JsonNode list = read(listed.getBody().readUtf8());
        byte[] options = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        for (JsonNode item : list.path("items")) {
            String itemPath = path.path() + "/" + item.path("metadata").path("name").asText();
            RecordedRequest one = new RecordedRequest(request.getHttpVersion(), HttpMethod.DELETE, itemPath,
                    new Headers.Builder().add("Content-Type", "application/json").build(), new Buffer(options));
            delete(one, ApiPath.parse(itemPath), q);
        }
        return StatusResponses.json(200, list.toString());
    }

    /**
     * The {@code scale} subresource: an {@code autoscaling/v1 Scale} read from and written to the parent's
     * {@code spec.replicas}.
     */
    private MockResponse scale(RecordedRequest request, ApiPath path, QueryParams q) throws BadBody {
        lock.lock();
        try {
            JsonNode parent = current(path);
            if (parent == null) {
                return notFound(path);
            }
            String method = request.getMethod();
            if (method.equals("GET")) {
                return StatusResponses.json(200, scaleOf(parent).toString());
            }
            JsonNode wanted;
            if (method.equals("PUT")) {
                wanted = body(request);
                String rv = wanted.path("metadata").path("resourceVersion").asText("");
                if (!rv.isEmpty() && !rv.equals(parent.path("metadata").path("resourceVersion").asText())) {
                    return conflict(path);
                }
            } else if (method.equals("PATCH")) {
                JsonNode patch;
                try {
                    patch = JSON.readTree(request.getBody().readUtf8());
                } catch (IOException e) {
                    throw new BadBody("error decoding patch: " + e.getMessage());
                }
                String type = mediaType(request.getHeader("Content-Type"));
                wanted = type.equals("application/json-patch+json") ? Patches.jsonPatch(patch, scaleOf(parent))
                        : Patches.mergePatch(scaleOf(parent), patch);
            } else {
                return StatusResponses.status(405, "MethodNotAllowed", "the server does not allow this method on "
                        + "the requested resource", null);
            }
            ObjectNode updated = ((ObjectNode) parent).deepCopy();
            updated.with("spec").put("replicas", wanted.path("spec").path("replicas").asInt(0));
            withGeneration(path, parent, updated);
            if (isDryRun(q)) {
                return StatusResponses.json(200, scaleOf(updated).toString());
            }
            String parentPath = path.path().substring(0, path.path().length() - "/scale".length());
            MockResponse r = store.dispatch(internal("PUT", parentPath, "", updated));
            if (r.code() >= 300) {
                return r;
            }
            return StatusResponses.json(200, scaleOf(read(r.getBody().readUtf8())).toString());
        } finally {
            lock.unlock();
        }
    }

    private static ObjectNode scaleOf(JsonNode parent) {
        ObjectNode scale = JSON.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (parent.path("metadata").has(f)) {
                meta.set(f, parent.path("metadata").get(f));
            }
        }
        scale.putObject("spec").put("replicas", parent.path("spec").path("replicas").asInt(1));
        List<String> selector = new ArrayList<>();
        parent.path("spec").path("selector").path("matchLabels").fields()
                .forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
        scale.putObject("status").put("replicas", parent.path("status").path("replicas").asInt(0))
                .put("selector", String.join(",", selector));
        return scale;
    }

    // ---- watches -------------------------------------------------------------------------------------------

    /** The resource version after the latest deletion of this resource, 0 when none. */
    long lastDeletion(ApiPath path) {
        return lastDeletion.getOrDefault(resourceKey(path), 0L);
    }

    long currentVersion() {
        return Long.parseLong(read(store.dispatch(internal("GET", "/api/v1/namespaces", "limit=1", null))
                .getBody().readUtf8()).path("metadata").path("resourceVersion").asText("0"));
    }

    ReentrantLock lock() {
        return lock;
    }

    KubernetesCrudDispatcher store() {
        return store;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The status subresource rule ({@link StatusSubresource}) for a write of the object or of its {@code status}:
     * the one place the simulated server decides which part of a write it keeps.
     */
    private static JsonNode subresourceRule(ApiPath path, JsonNode current, JsonNode updated) {
        if (path.subresource().isEmpty()) {
            return StatusSubresource.objectWrite(path.group(), path.resource(), current, updated);
        }
        if (path.subresource().equals("status")) {
            return StatusSubresource.statusWrite(path.group(), path.resource(), current, updated);
        }
        return updated;
    }

    /**
     * {@code PrepareForCreate}'s generation: 1 for the kinds whose strategy keeps one ({@link Generation}); any other
     * object is stored with what it was sent with.
     */
    private static JsonNode createdGeneration(JsonNode body) {
        if (Generation.tracked(body) && body.path("metadata") instanceof ObjectNode meta) {
            meta.put("generation", 1);
        }
        return body;
    }

    /**
     * The generation an update stores ({@link Generation}): the stored one ({@code BeforeUpdate}: a client cannot set
     * it), raised by one when the kind's strategy counts the change; never by a write of the status subresource. A
     * custom resource whose CRD has a status subresource is compared with its stored status, as the store will keep.
     */
    private JsonNode withGeneration(ApiPath path, JsonNode current, JsonNode updated) {
        if (!(updated.path("metadata") instanceof ObjectNode meta)) {
            return updated;
        }
        JsonNode stored = current.path("metadata").get("generation");
        JsonNode compared = updated;
        if (!Patches.BUILT_IN_GROUPS.contains(path.group()) && updated instanceof ObjectNode object
                && store.isStatusSubresourceEnabledForResource(path.path())) {
            ObjectNode copy = object.deepCopy();
            if (current.has("status")) {
                copy.set("status", current.get("status"));
            } else {
                copy.remove("status");
            }
            compared = copy;
        }
        if (!path.subresource().equals("status") && Generation.raises(current, compared)) {
            meta.put("generation", stored == null ? 1 : stored.asLong() + 1);
        } else if (stored == null) {
            meta.remove("generation");
        } else {
            meta.set("generation", stored);
        }
        return updated;
    }

    /**
     * Where the store gets a write: the object's path for a status write of a built-in kind (its rule has already
     * made the whole object), else the request's (the store applies a CRD's status subresource itself).
     */
    private static String storePath(ApiPath path) {
        if (path.subresource().equals("status") && StatusSubresource.has(path.group(), path.resource())) {
            return path.path().substring(0, path.path().length() - "/status".length());
        }
        return path.path();
    }

    private static String resourceKey(ApiPath path) {
        return path.group() + "/" + path.resource();
    }

    void createMissingNamespaces(boolean on) {
        this.createMissingNamespaces = on;
    }

    private MockResponse checkNamespace(ApiPath path) {
        if (path.namespace().isEmpty() || path.resource().equals("namespaces")) {
            return null;
        }
        if (exists("/api/v1/namespaces/" + path.namespace())) {
            return null;
        }
        if (createMissingNamespaces) {
            com.fasterxml.jackson.databind.node.ObjectNode ns = com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", path.namespace());
            ns.putObject("status").put("phase", "Active");
            store.dispatch(internal("POST", "/api/v1/namespaces", "", ns));
            return null;
        }
        return StatusResponses.status(404, "NotFound", "namespaces \"" + path.namespace() + "\" not found",
                details(404, "NotFound", "namespaces \"" + path.namespace() + "\" not found", "", "namespaces",
                        path.namespace()));
    }

    private boolean exists(String objectPath) {
        return store.dispatch(internal("GET", objectPath, "", null)).code() == 200;
    }

    private JsonNode current(ApiPath path) {
        String p = path.subresource().isEmpty() ? path.path()
                : path.path().substring(0, path.path().length() - path.subresource().length() - 1);
        MockResponse r = store.dispatch(internal("GET", p, "", null));
        return r.code() == 200 ? read(r.getBody().readUtf8()) : null;
    }

    private static String objectPath(ApiPath path, String name) {
        return path.path() + "/" + name;
    }

    private static String query(ApiPath path) {
        return path.query().isEmpty() ? "" : "?" + path.query();
    }

    static MockResponse notFound(ApiPath path) {
        return status(404, "NotFound", path, path.name(), "not found");
    }

    private static MockResponse conflict(ApiPath path) {
        return conflict(path, "the object has been modified; please apply your changes to the latest version and try again");
    }

    private static MockResponse conflict(ApiPath path, String cause) {
        String message = "Operation cannot be fulfilled on " + qualified(path) + " \"" + path.name() + "\": " + cause;
        return StatusResponses.status(409, "Conflict", message,
                details(409, "Conflict", message, path.group(), path.resource(), path.name()));
    }

    /**
     * The preconditions of a delete's {@code DeleteOptions} body, checked like the apiserver's storage layer: the uid
     * first, then the resourceVersion; a failed one is a 409 Conflict naming both values.
     */
    private static Optional<String> failedPrecondition(RecordedRequest request, JsonNode current) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return Optional.empty();
        }
        JsonNode options;
        try {
            options = JSON.readTree(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty(); // the store answers malformed bodies as it always did
        }
        JsonNode pre = options == null ? null : options.path("preconditions");
        if (pre == null || !pre.isObject()) {
            return Optional.empty();
        }
        JsonNode meta = current.path("metadata");
        String uid = pre.path("uid").asText("");
        if (!pre.path("uid").isNull() && !uid.isEmpty() && !uid.equals(meta.path("uid").asText(""))) {
            return Optional.of("Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                    + meta.path("uid").asText(""));
        }
        String rv = pre.path("resourceVersion").asText("");
        if (!pre.path("resourceVersion").isNull() && !rv.isEmpty()
                && !rv.equals(meta.path("resourceVersion").asText(""))) {
            return Optional.of("Precondition failed: ResourceVersion in precondition: " + rv
                    + ", ResourceVersion in object meta: " + meta.path("resourceVersion").asText(""));
        }
        return Optional.empty();
    }

    private static MockResponse applyConflict(ApiPath path, List<ServerSideApply.Conflict> conflicts) {
        String message = ServerSideApply.message(conflicts);
        io.fabric8.kubernetes.api.model.Status status = details(409, "Conflict", message, path.group(),
                path.resource(), path.name());
        List<io.fabric8.kubernetes.api.model.StatusCause> causes = new ArrayList<>();
        for (ServerSideApply.Conflict c : conflicts) {
            causes.add(new io.fabric8.kubernetes.api.model.StatusCauseBuilder().withReason("FieldManagerConflict")
                    .withMessage("conflict with \"" + c.manager() + "\"" + (c.apiVersion().isEmpty() ? ""
                            : " using " + c.apiVersion())).withField(c.field()).build());
        }
        status.getDetails().setCauses(causes);
        return StatusResponses.status(409, "Conflict", message, status);
    }

    private static MockResponse status(int code, String reason, ApiPath path, String name, String what) {
        String message = qualified(path) + " \"" + name + "\" " + what;
        return StatusResponses.status(code, reason, message,
                details(code, reason, message, path.group(), path.resource(), name));
    }

    static String qualified(ApiPath path) {
        return path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
    }

    static io.fabric8.kubernetes.api.model.Status details(int code, String reason, String message, String group,
            String kind, String name) {
        return new io.fabric8.kubernetes.api.model.StatusBuilder().withNewMetadata().endMetadata()
                .withStatus("Failure").withMessage(message).withReason(reason).withCode(code)
                .withNewDetails().withName(name).withGroup(group.isEmpty() ? null : group).withKind(kind)
                .endDetails().build();
    }

    private static String manager(RecordedRequest request, QueryParams q) {
        if (!q.getOrEmpty("fieldManager").isEmpty()) {
            return q.getOrEmpty("fieldManager");
        }
        String agent = request.getHeader("User-Agent");
        if (agent == null || agent.isEmpty()) {
            return "unknown";
        }
        int slash = agent.indexOf('/');
        return slash > 0 ? agent.substring(0, slash) : agent;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode body(RecordedRequest request) throws BadBody {
        String text = request.getBody() == null ? "" : request.getBody().readUtf8();
        try {
            String type = mediaType(request.getHeader("Content-Type"));
            JsonNode node = type.contains("yaml") ? YAML.readTree(text) : JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BadBody("Object 'Kind' is missing in '" + text + "'");
            }
            return node;
        } catch (IOException e) {
            throw new BadBody("the body of the request could not be decoded: " + e.getMessage());
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the store returned malformed JSON", e);
        }
    }

    private static boolean isEmptyBody(MockResponse response) {
        return response.getBody() == null || response.getBody().size() == 0;
    }

    static RecordedRequest internal(String method, String path, String query, JsonNode body) {
        Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();
        String target = query.isEmpty() ? path : path + "?" + query;
        return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), target, headers,
                new Buffer(body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static RecordedRequest withBody(RecordedRequest request, String target, JsonNode body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), target,
                new Headers.Builder().add("Content-Type", "application/json").build(),
                new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A request body the server cannot decode: 400 BadRequest. */
    static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message);
        }
    }
}
