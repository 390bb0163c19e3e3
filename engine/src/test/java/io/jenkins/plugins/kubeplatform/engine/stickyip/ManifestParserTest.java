package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    @Test
    void readsADeploymentWithItsReplicasAndPodSpec() {
        WorkloadTemplate t = ManifestParser.parse("manifest", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 4
                  template:
                    metadata:
                      labels: {tier: front}
                    spec:
                      serviceAccountName: web
                      containers:
                        - name: web
                          image: registry.example.com/web:1
                          resources:
                            requests: {cpu: 250m, memory: 256Mi}
                """);

        assertThat(t.replicas()).contains(4);
        assertThat(t.deployment().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("web");
        assertThat(t.containers().get(0).getResources().getRequests().get("memory").toString()).isEqualTo("256Mi");
        assertThat(t.deployment().getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "front");
    }

    @Test
    void readsAPodAsUsersOfPodTemplateYamlWriteIt() {
        WorkloadTemplate t = ManifestParser.parse("template", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: ignored
                  labels: {tier: back}
                spec:
                  containers:
                    - name: app
                      image: busybox
                """);

        assertThat(t.replicas()).isEmpty();
        assertThat(t.deployment().getSpec().getTemplate().getMetadata().getName()).isNull();
        assertThat(t.deployment().getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "back");
        assertThat(t.target("web")).map(c -> c.getName()).contains("app");
    }

    @Test
    void readsABarePodTemplate() {
        WorkloadTemplate t = ManifestParser.parse("template", """
                spec:
                  containers: [{name: web, image: nginx, ports: [{containerPort: 80, name: http}]}]
                """);

        assertThat(t.ports()).extracting(p -> p.getContainerPort()).containsExactly(80);
    }

    @Test
    void refusesATypeTagInsteadOfInstantiatingAJavaType() {
        assertThatThrownBy(() -> ManifestParser.parse("manifest", """
                apiVersion: apps/v1
                kind: Deployment
                spec: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
                """))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("manifest"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void refusesAnAliasBombBeforeExpandingIt() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        assertThatThrownBy(() -> ManifestParser.parse("template", yaml.toString()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "[".repeat(ManifestParser.MAX_DEPTH + 10) + "]".repeat(ManifestParser.MAX_DEPTH + 10);
        assertThatThrownBy(() -> ManifestParser.parse("template", "spec: " + deep))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void refusesAManifestLargerThanTheLimit() {
        String big = "spec:\n  x: \"" + "a".repeat(ManifestParser.MAX_CHARS) + "\"\n";
        assertThatThrownBy(() -> ManifestParser.parse("manifest", big))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most " + ManifestParser.MAX_CHARS);
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> ManifestParser.parse("template", "spec: {}\nspec: {}\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void namesTheKindItCannotTake() {
        assertThatThrownBy(() -> ManifestParser.parse("manifest", "apiVersion: apps/v1\nkind: StatefulSet\nspec: {}\n"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("manifest.kind"));
    }

    @Test
    void namesAContainerWithoutAName() {
        assertThatThrownBy(() -> ManifestParser.parse("template", "spec:\n  containers:\n    - image: nginx\n"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("template.spec.containers[0].name"));
    }

    @Test
    void refusesSeveralDocuments() {
        assertThatThrownBy(() -> ManifestParser.parse("manifest", "spec: {containers: [{name: a, image: b}]}\n---\n"
                + "spec: {containers: [{name: a, image: b}]}\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds 2 YAML documents");
    }

    @Test
    void takesTheStepsReplicasOverTheManifestsAndOneWhenNeitherSaysSo() {
        WorkloadTemplate t = ManifestParser.parse("manifest", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 5\n"
                + "  template:\n    spec:\n      containers: [{name: a, image: b}]\n");
        assertThat(DeployRequest.replicas(null, Optional.of(t))).isEqualTo(5);
        assertThat(DeployRequest.replicas(2, Optional.of(t))).isEqualTo(2);
        assertThat(DeployRequest.replicas(null, Optional.empty())).isEqualTo(1);
    }
}
