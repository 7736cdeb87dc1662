package dev.lifeboat.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One release, as GitHub reports it.
 *
 * @param id the release id
 * @param tag its tag name ({@code lifeboat-FOLDER})
 * @param draft whether it is still a draft (not published, no git tag yet)
 * @param uploadUrl where its assets are uploaded, without the URI template's {@code {?name,label}}
 * @param createdAt when it was created
 * @param assets its assets as the release object lists them
 */
record Release(long id, String tag, boolean draft, String uploadUrl, Instant createdAt, List<ReleaseAsset> assets) {

  static Release of(JsonNode node) {
    List<ReleaseAsset> assets = new ArrayList<>();
    node.path("assets").forEach(a -> assets.add(ReleaseAsset.of(a)));
    String upload = node.path("upload_url").asText("");
    int brace = upload.indexOf('{');
    return new Release(node.path("id").asLong(), node.path("tag_name").asText(""), node.path("draft").asBoolean(false),
        brace < 0 ? upload : upload.substring(0, brace), ReleaseAsset.instant(node.path("created_at"), node.path("published_at")),
        List.copyOf(assets));
  }

  Release withAssets(List<ReleaseAsset> list) {
    return new Release(id, tag, draft, uploadUrl, createdAt, List.copyOf(list));
  }
}
