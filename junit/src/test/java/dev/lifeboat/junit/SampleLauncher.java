package dev.lifeboat.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the test classes named as arguments with the JUnit Platform launcher, as a build tool
 * would, and prints where the extension was loaded from, each failure's message and the counts;
 * exits 0 when every test passed. {@link PackagedJarIT} starts it in a separate JVM.
 */
public final class SampleLauncher {
  private SampleLauncher() {}

  public static void main(String[] args) throws ClassNotFoundException {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (String name : args) {
      request.selectors(selectClass(Class.forName(name)));
    }
    LauncherDiscoveryRequest built = request.build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(built, listener);
    TestExecutionSummary summary = listener.getSummary();
    System.out.println("extension from: " + LifeboatExtension.class.getProtectionDomain().getCodeSource().getLocation());
    summary.getFailures().forEach(f -> System.out.println("failure: " + f.getTestIdentifier().getDisplayName() + ": "
        + f.getException().getMessage()));
    System.out.println("succeeded: " + summary.getTestsSucceededCount() + ", failed: " + summary.getTestsFailedCount());
    System.exit(summary.getTestsFailedCount() == 0 && summary.getTestsSucceededCount() > 0 ? 0 : 1);
  }
}
