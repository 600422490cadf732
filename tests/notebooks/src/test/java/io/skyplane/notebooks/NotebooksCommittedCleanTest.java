package io.skyplane.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Notebooks are committed without outputs: no code cell may carry outputs or an execution count
 * (clear them with {@code notebooks/run --clear}). Runs on the working tree, so a notebook saved
 * from Jupyter with its outputs fails the build before it is committed.
 */
class NotebooksCommittedCleanTest {

  @Test
  void thereAreNotebooks() {
    assertThat(Notebooks.all()).as("notebooks in %s", Notebooks.DIR).isNotEmpty();
  }

  @Test
  void noNotebookHasOutputsOrExecutionCounts() {
    List<String> dirty = new ArrayList<>();
    for (Path notebook : Notebooks.all()) {
      JsonNode cells = Notebooks.read(notebook).path("cells");
      for (int i = 0; i < cells.size(); i++) {
        JsonNode cell = cells.get(i);
        if (!cell.path("cell_type").asText().equals("code")) {
          continue;
        }
        if (cell.path("outputs").size() > 0) {
          dirty.add(notebook.getFileName() + " cell " + i + ": " + cell.path("outputs").size() + " outputs");
        }
        if (!cell.path("execution_count").isNull()) {
          dirty.add(notebook.getFileName() + " cell " + i + ": execution_count " + cell.path("execution_count"));
        }
      }
    }
    assertThat(dirty).as("committed outputs (run notebooks/run --clear)").isEmpty();
  }

  @Test
  void everyNotebookIsAPython3NotebookOfFormat4() {
    for (Path notebook : Notebooks.all()) {
      JsonNode json = Notebooks.read(notebook);
      assertThat(json.path("nbformat").asInt()).as("%s nbformat", notebook.getFileName()).isEqualTo(4);
      assertThat(json.path("metadata").path("kernelspec").path("name").asText())
          .as("%s kernel", notebook.getFileName()).isEqualTo("python3");
      assertThat(json.path("cells").size()).as("%s cells", notebook.getFileName()).isPositive();
    }
  }
}
