package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * SIP-12: the limits of the untrusted manifest (size, aliases) at their exact bounds, the kinds and versions taken, and
 * the Deployment a Pod or pod template becomes. Bounds are the documented constants: 256 KiB, 20 aliases, 0..500
 * replicas.
 */
class ManifestParserLimitsTest {

    private static final String POD_SPEC = "spec:\n  containers: [{name: web, image: nginx}]\n";

    private static void refused(String source, String yaml, String field, String says) {
        assertThatThrownBy(() -> ManifestParser.parse(source, yaml)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field))
                .hasMessageContaining(says);
    }

    /** A pod template whose containers' args are {@code n} aliases of one anchored list. */
    private static String aliases(int n) {
        StringBuilder yaml = new StringBuilder("metadata:\n  annotations: {}\nspec:\n  containers:\n"
                + "    - {name: c0, image: nginx, args: &a [x]}\n");
        for (int i = 1; i <= n; i++) {
            yaml.append("    - {name: c").append(i).append(", image: nginx, args: *a}\n");
        }
        return yaml.toString();
    }

    @Test
    void acceptsAManifestOfExactlyTheSizeLimit() {
        String padding = "# " + "p".repeat(ManifestParser.MAX_CHARS - POD_SPEC.length() - 2);
        String yaml = POD_SPEC + padding;
        assertThat(yaml).hasSize(256 * 1024);

        assertThat(ManifestParser.parse("template", yaml).containers()).hasSize(1);
        refused("template", yaml + "p", "template", "is 262145 characters; at most 262144 are accepted");
    }

    @Test
    void refusesAnEmptyManifest() {
        refused("manifest", null, "manifest", "is empty");
        refused("manifest", " \n\t", "manifest", "is empty");
    }

    @Test
    void acceptsTwentyCollectionAliasesAndRefusesTwentyOne() {
        assertThat(ManifestParser.parse("template", aliases(20)).containers()).hasSize(21)
                .allSatisfy(c -> assertThat(c.getArgs()).containsExactly("x"));
        refused("template", aliases(21), "template", "not valid YAML");
    }

    @Test
    void takesADeploymentWithoutApiVersionAndRefusesAnotherVersion() {
        String body = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx}]\n";

        assertThat(ManifestParser.parse("manifest", body).containers()).hasSize(1);
        refused("manifest", "apiVersion: extensions/v1beta1\n" + body, "manifest.apiVersion",
                "must be apps/v1 for kind Deployment; got extensions/v1beta1");
        refused("manifest", "apiVersion: apps/v1\nkind: Pod\n" + POD_SPEC, "manifest.apiVersion",
                "must be v1 for kind Pod; got apps/v1");
        refused("manifest", "apiVersion: apps/v1\nkind: PodTemplate\ntemplate:\n  " + POD_SPEC.replace("\n  ", "\n    "),
                "manifest.apiVersion", "must be v1 for kind PodTemplate");
    }

    @Test
    void requiresADeploymentsPodTemplateWithContainers() {
        refused("manifest", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n", "manifest.spec.template",
                "is required in a Deployment");
        refused("manifest", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n",
                "manifest.spec.template.spec.containers", "must list at least one container");
        refused("manifest", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "manifest.spec.containers",
                "must list at least one container");
        refused("template", "spec:\n  containers: [{name: ' ', image: nginx}]\n", "template.spec.containers[0].name",
                "is required");
    }

    @Test
    void acceptsZeroTo500ReplicasInADeployment() {
        String head = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
                + "      containers: [{name: web, image: nginx}]\n  replicas: ";

        assertThat(ManifestParser.parse("manifest", head + "0\n").replicas()).contains(0);
        assertThat(ManifestParser.parse("manifest", head + "500\n").replicas()).contains(500);
        refused("manifest", head + "501\n", "manifest.spec.replicas", "must be between 0 and 500; got 501");
        refused("manifest", head + "-1\n", "manifest.spec.replicas", "must be between 0 and 500; got -1");
    }

    @Test
    void turnsAPodIntoAnAppsV1DeploymentKeepingItsNamespaceButNotItsOwnName() {
        WorkloadTemplate t = ManifestParser.parse("manifest", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-abc\n"
                + "  generateName: web-\n  namespace: shop\n  labels: {tier: front}\n" + POD_SPEC);
        Deployment d = t.deployment();
        PodTemplateSpec pod = d.getSpec().getTemplate();

        assertThat(d.getApiVersion()).isEqualTo("apps/v1");
        assertThat(d.getKind()).isEqualTo("Deployment");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(pod.getMetadata().getName()).isNull();
        assertThat(pod.getMetadata().getGenerateName()).isNull();
        assertThat(pod.getMetadata().getNamespace()).isNull();
        assertThat(pod.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(t.replicas()).isEmpty();
    }

    @Test
    void takesAPodWithoutMetadata() {
        WorkloadTemplate t = ManifestParser.parse("manifest", "apiVersion: v1\nkind: Pod\n" + POD_SPEC);

        assertThat(t.deployment().getMetadata().getNamespace()).isNull();
        assertThat(t.containers()).extracting(c -> c.getName()).containsExactly("web");
    }

    @Test
    void namesThePartThatDoesNotMatchTheKubernetesSchema() {
        refused("template", "spec:\n  containers: 5\n", "template",
                "does not match the Kubernetes schema of PodTemplateSpec");
        refused("manifest", "apiVersion: v1\nkind: PodTemplate\ntemplate:\n  spec:\n    containers: 5\n",
                "manifest.template", "does not match the Kubernetes schema of PodTemplateSpec");
        refused("manifest", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: many\n", "manifest",
                "does not match the Kubernetes schema of Deployment");
    }
}
