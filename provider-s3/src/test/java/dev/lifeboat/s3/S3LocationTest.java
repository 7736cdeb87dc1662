package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing {@code s3://} locations: parameters, defaults, and refusals that are exit 2 before any request. */
class S3LocationTest {

  @Test
  void everyParameterIsRead() {
    S3Location l = parse("s3://my-bucket/db/nightly/?endpoint=https://minio.example.com:9000/&region=eu-central-1"
        + "&path-style=false&storage-class=standard_ia&sse=aws:kms&kms-key-id=alias/backups");
    assertThat(l).isEqualTo(new S3Location("my-bucket", "db/nightly", Optional.of(URI.create("https://minio.example.com:9000")),
        Optional.of("eu-central-1"), false, Optional.of("STANDARD_IA"), Optional.of("aws:kms"), Optional.of("alias/backups")));
    assertThat(l.isAws()).isFalse();
    assertThat(l.objectKey("ID/manifest.json")).isEqualTo("db/nightly/ID/manifest.json");
  }

  @Test
  void amazonS3IsVirtualHostedAndACustomEndpointPathStyleByDefault() {
    S3Location aws = parse("s3://bucket");
    assertThat(aws.isAws()).isTrue();
    assertThat(aws.pathStyle()).isFalse();
    assertThat(aws.prefix()).isEmpty();
    assertThat(aws.objectKey("ID/archive")).isEqualTo("ID/archive");
    assertThat(parse("s3://bucket/p?endpoint=http://127.0.0.1:9000").pathStyle()).isTrue();
    assertThat(parse("s3://bucket/p?endpoint=https://s3.eu-west-1.amazonaws.com").isAws()).isTrue();
  }

  @Test
  void credentialsInTheLocationAreRefusedWithoutRepeatingThem() {
    for (String text : new String[] {"s3://AKIAEXAMPLE:wJalrXUtnFEMIsecretvalue@bucket/p",
        "s3://bucket/p?secret-key=wJalrXUtnFEMIsecretvalue", "s3://bucket/p?aws_access_key_id=AKIAEXAMPLE&aws_secret_access_key=wJalrXUtnFEMIsecretvalue",
        "s3://bucket/p?endpoint=http://AKIAEXAMPLE:wJalrXUtnFEMIsecretvalue@127.0.0.1:9000"}) {
      assertThatThrownBy(() -> parse(text)).as(text).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code().exitStatus()).isEqualTo(2);
        assertThat(e.getMessage()).contains("credential").contains("AWS default chain")
            .doesNotContain("wJalrXUtnFEMIsecretvalue").doesNotContain("AKIAEXAMPLE");
      });
    }
  }

  @Test
  void wrongParametersAreConfigurationErrorsSayingWhatToUse() {
    assertRefused("s3://bucket/p?storage-clas=GLACIER", "unknown parameter 'storage-clas'. Known: endpoint, kms-key-id, path-style, region, sse, storage-class.");
    assertRefused("s3://bucket/p?endpoint=minio:9000", "is not an http:// or https:// URL with a host");
    assertRefused("s3://bucket/p?endpoint=ftp://host", "is not an http:// or https:// URL with a host");
    assertRefused("s3://bucket/p?path-style=yes", "use path-style=true or path-style=false");
    assertRefused("s3://bucket/p?sse=aes", "use sse=AES256 or sse=aws:kms");
    assertRefused("s3://bucket/p?kms-key-id=k1", "kms-key-id without sse=aws:kms");
    assertRefused("s3://bucket/p?storage-class=COLD", "storage-class=COLD; use one of");
    assertRefused("s3://Bucket_Name/p", "not a valid bucket name");
    assertRefused("s3:///p", "names no bucket");
    assertRefused("s3://bucket/a//b", "empty path segment");
    assertRefused("s3://bucket/p?region=eu-west-1&region=us-east-1", "gives region twice");
  }

  private static void assertRefused(String text, String part) {
    assertThatThrownBy(() -> parse(text)).as(text).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
      assertThat(e.getMessage()).contains(part).doesNotContain("\n");
    });
  }

  private static S3Location parse(String text) {
    return S3Location.parse(Location.parse(text));
  }
}
