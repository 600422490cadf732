package io.skyplane.testing.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsNestedValues() {
    String text = "{\"a\":\"x\\\"y\\u00e9\",\"n\":12,\"f\":1.5,\"t\":true,\"z\":null,"
        + "\"l\":[1,{\"k\":\"v\"}]}";
    Map<String, Object> json = Json.parseObject(text);
    assertThat(json).containsEntry("a", "x\"yé").containsEntry("n", 12L).containsEntry("f", 1.5)
        .containsEntry("t", true).containsEntry("z", null);
    assertThat(json.get("l")).isEqualTo(List.of(1L, Map.of("k", "v")));
    assertThat(Json.parse(Json.write(json))).isEqualTo(json);
  }

  @Test
  void treatsBlankAsEmptyAndRejectsGarbage() {
    assertThat(Json.parseObject(" ")).isEmpty();
    assertThatThrownBy(() -> Json.parseObject("{\"a\":}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
