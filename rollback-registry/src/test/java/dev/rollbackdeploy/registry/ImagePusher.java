package dev.rollbackdeploy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackdeploy.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Pushes test images straight through the distribution API, the way a container build would. */
final class ImagePusher {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** A pushed manifest: its digest, its size and the exact bytes the registry stored. */
    record Pushed(Digest digest, int size, byte[] bytes) {
    }

    private final OkHttpClient client = new OkHttpClient();
    private final String baseUrl;
    private final String authorization;

    ImagePusher(String baseUrl) {
        this(baseUrl, null, null);
    }

    ImagePusher(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.authorization = user == null ? null : Credentials.basic(user, password);
    }

    /** Pushes a config and one layer (both tiny), then an OCI image manifest naming them, under the tag. */
    Pushed pushImage(String repository, String tag, String layerText) throws IOException {
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = pushBlob(repository, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = pushBlob(repository, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}";
        return pushManifest(repository, tag, OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** Pushes an OCI image index over already pushed manifests, under the tag. */
    Pushed pushIndex(String repository, String tag, Pushed... manifests) throws IOException {
        StringBuilder entries = new StringBuilder();
        for (Pushed manifest : manifests) {
            entries.append(entries.length() == 0 ? "" : ",").append("{\"mediaType\":\"").append(OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(manifest.digest()).append("\",\"size\":").append(manifest.size())
                    .append(",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + entries + "]}";
        return pushManifest(repository, tag, OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
    }

    Pushed pushManifest(String repository, String tag, String mediaType, byte[] bytes) throws IOException {
        Request put = request(url("/v2/" + repository + "/manifests/" + tag))
                .put(RequestBody.create(bytes, MediaType.get(mediaType))).build();
        try (Response response = client.newCall(put).execute()) {
            assertThat(response.code()).as("PUT manifest %s:%s: %s", repository, tag, response.body().string())
                    .isEqualTo(201);
            Digest digest = Digest.sha256Of(bytes);
            assertThat(response.header("Docker-Content-Digest")).isEqualTo(digest.toString());
            return new Pushed(digest, bytes.length, bytes);
        }
    }

    void deleteManifest(String repository, Digest digest) throws IOException {
        Request delete = request(url("/v2/" + repository + "/manifests/" + digest)).delete().build();
        try (Response response = client.newCall(delete).execute()) {
            assertThat(response.code()).as("DELETE manifest %s@%s: %s", repository, digest, response.body().string())
                    .isEqualTo(202);
        }
    }

    private Digest pushBlob(String repository, byte[] blob) throws IOException {
        Digest digest = Digest.sha256Of(blob);
        Request start = request(url("/v2/" + repository + "/blobs/uploads/"))
                .post(RequestBody.create(new byte[0])).build();
        String location;
        try (Response response = client.newCall(start).execute()) {
            assertThat(response.code()).as("POST blob upload: %s", response.body().string()).isEqualTo(202);
            location = response.header("Location");
        }
        HttpUrl upload = url("/").resolve(location).newBuilder().addQueryParameter("digest", digest.toString()).build();
        Request put = request(upload).put(RequestBody.create(blob, MediaType.get("application/octet-stream"))).build();
        try (Response response = client.newCall(put).execute()) {
            assertThat(response.code()).as("PUT blob: %s", response.body().string()).isEqualTo(201);
        }
        return digest;
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder builder = new Request.Builder().url(url);
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private HttpUrl url(String path) {
        return HttpUrl.get(baseUrl + path);
    }
}
