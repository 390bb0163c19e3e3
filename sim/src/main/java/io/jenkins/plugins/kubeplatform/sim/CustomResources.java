package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Custom resource types the simulation knows. The mock server serves a custom resource only after its
 * CustomResourceDefinition exists, so {@link #ensure} creates it first; other controllers use the same helper for
 * their own types.
 */
public record CustomResources(String group, String version, String kind, String plural, boolean namespaced) {

    public static final CustomResources CALICO_IPPOOL =
            new CustomResources("crd.projectcalico.org", "v1", "IPPool", "ippools", false);
    /** Calico: {@code spec.reservedCIDRs} are never auto-assigned (still given when requested by annotation). */
    public static final CustomResources CALICO_IPRESERVATION =
            new CustomResources("crd.projectcalico.org", "v1", "IPReservation", "ipreservations", false);
    public static final CustomResources KUBE_OVN_SUBNET =
            new CustomResources("kubeovn.io", "v1", "Subnet", "subnets", false);

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    /** The CRD, with a permissive schema and the status subresource. */
    public CustomResourceDefinition definition() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                .withListKind(kind + "List").endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion()
                .endSpec().build();
    }

    /** Creates the CRD unless it already exists. */
    public static void ensure(KubernetesClient client, CustomResources type) {
        CustomResourceDefinition crd = type.definition();
        if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }
}
