package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.regex.Pattern;

/** Where the VM's root disk comes from. */
public sealed interface ImageSource {

    /** An OCI image holding a disk (KubeVirt containerDisk), e.g. quay.io/containerdisks/ubuntu:22.04. */
    record ContainerDisk(String image) implements ImageSource {
        @Override
        public String text() {
            return image;
        }
    }

    /** A disk image downloaded into a new PVC by CDI (DataVolume with an HTTP source). */
    record DataVolumeHttp(String url) implements ImageSource {
        @Override
        public String text() {
            return url;
        }
    }

    /** The text form used in requests, inventory and on the command line. */
    String text();

    Pattern IMAGE_REF = Pattern.compile("[a-z0-9]([a-z0-9._:/@-]*[a-zA-Z0-9_.-])?(@sha256:[0-9a-f]{64})?");
    Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+-]*)?");

    /** An http(s) URL becomes a DataVolume source; anything else must be a containerDisk image reference. */
    static ImageSource parse(String field, String text) {
        String value = Require.nonBlank(field, text);
        if (value.startsWith("http://") || value.startsWith("https://")) {
            if (!URL.matcher(value).matches()) {
                throw new InvalidInputException(field, "must be an http(s) URL of a disk image without query or "
                        + "spaces; got '" + Require.printable(value) + "'");
            }
            return new DataVolumeHttp(value);
        }
        if (value.length() > 512 || !IMAGE_REF.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be a containerDisk image reference such as "
                    + "quay.io/containerdisks/ubuntu:22.04 or an http(s) URL of a disk image; got '"
                    + Require.printable(value) + "'");
        }
        return new ContainerDisk(value);
    }
}
