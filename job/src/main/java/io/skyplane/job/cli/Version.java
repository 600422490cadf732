package io.skyplane.job.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = SkyplaneCli.class.getPackage().getImplementationVersion();
    return new String[] {"skyplane " + (version == null ? "(development build)" : version)};
  }
}
