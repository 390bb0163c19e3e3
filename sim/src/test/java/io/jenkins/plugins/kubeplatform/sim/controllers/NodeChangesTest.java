package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which node changes the simulated controllers act on: all but a new image list, each node's first sight included. */
class NodeChangesTest {

    private static Node node(String ready, String resourceVersion, String... images) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n1").withResourceVersion(resourceVersion)
                .addToLabels("kubernetes.io/hostname", "n1").endMetadata().withNewSpec().endSpec().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
        for (String image : images) {
            b.editStatus().addToImages(new ContainerImageBuilder().addToNames(image).withSizeBytes(1000L).build())
                    .endStatus();
        }
        return b.build();
    }

    @Test
    void actsOnANodeSeenForTheFirstTimeAndNotOnTheSameNodeAgain() {
        NodeChanges changes = new NodeChanges();

        assertThat(changes.relevant(node("True", "1"))).isTrue();
        assertThat(changes.relevant(node("True", "2"))).as("only the resource version moved").isFalse();
    }

    @Test
    void ignoresANewImageListButNotAReadinessOrLabelChange() {
        NodeChanges changes = new NodeChanges();
        changes.relevant(node("True", "1"));

        assertThat(changes.relevant(node("True", "2", "docker.io/library/nginx:1.27"))).isFalse();
        assertThat(changes.relevant(node("False", "3", "docker.io/library/nginx:1.27"))).isTrue();
        Node relabelled = node("False", "4", "docker.io/library/nginx:1.27");
        relabelled.getMetadata().getLabels().put("zone", "b");
        assertThat(changes.relevant(relabelled)).isTrue();
        Node cordoned = node("False", "5", "docker.io/library/nginx:1.27");
        cordoned.getMetadata().getLabels().put("zone", "b");
        cordoned.getSpec().setUnschedulable(true);
        assertThat(changes.relevant(cordoned)).isTrue();
    }

    @Test
    void treatsANodeCreatedAgainUnderItsNameAsNew() {
        NodeChanges changes = new NodeChanges();
        Node node = node("True", "1");
        changes.relevant(node);
        changes.forget(node);

        assertThat(changes.relevant(node("True", "7"))).isTrue();
    }

    @Test
    void aWrappedHandlerHearsOfEveryChangeButAnImageReportAndOfEveryDeletion() {
        List<String> heard = new ArrayList<>();
        ChangeHandler<Node> handler = NodeChanges.ignoringImageReports(new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                heard.add("changed " + node.getMetadata().getResourceVersion());
            }

            @Override
            public void deleted(Node node) {
                heard.add("deleted " + node.getMetadata().getResourceVersion());
            }
        });

        handler.changed(node("True", "1"));
        handler.changed(node("True", "2", "docker.io/library/nginx:1.27"));
        handler.changed(node("False", "3", "docker.io/library/nginx:1.27"));
        handler.deleted(node("False", "4"));
        handler.changed(node("False", "5"));

        assertThat(heard).containsExactly("changed 1", "changed 3", "deleted 4", "changed 5");
    }
}
