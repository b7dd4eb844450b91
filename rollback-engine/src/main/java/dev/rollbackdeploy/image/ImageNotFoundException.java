package dev.rollbackdeploy.image;

/** The registry answered, and the image (repository, tag or digest) is not there: retrying will not help. */
public final class ImageNotFoundException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient ImageRef image;

    public ImageNotFoundException(ImageRef image, String detail) {
        super("image " + image + " not found: " + detail);
        this.image = image;
    }

    public ImageRef image() {
        return image;
    }
}
