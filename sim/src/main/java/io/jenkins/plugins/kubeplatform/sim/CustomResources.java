package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

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

    /** Schemas of the third-party CRDs by {@code plural.group} (crd-schemas.yaml beside this class). */
    private static final Map<String, Object> SCHEMAS = loadSchemas();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadSchemas() {
        try (InputStream in = CustomResources.class.getResourceAsStream("crd-schemas.yaml")) {
            if (in == null) {
                throw new IllegalStateException("crd-schemas.yaml is missing from the simulation's resources");
            }
            return (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException("crd-schemas.yaml cannot be read", e);
        }
    }

    /** The upstream CRD's schema (the fields that matter here) if this type has one, else a permissive one. */
    JSONSchemaProps schema() {
        Object schema = SCHEMAS.get(plural + "." + group);
        if (schema == null) {
            return new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build();
        }
        return ApiSemantics.JSON.convertValue(schema, JSONSchemaProps.class);
    }

    /** The CRD, with its schema and the status subresource. */
    public CustomResourceDefinition definition() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                .withListKind(kind + "List").endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(schema()).endSchema()
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
