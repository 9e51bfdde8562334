package io.herald.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the dependency rules of STYLE.md true: dependencies point down, backends stay behind the store port. */
class ArchitectureTest {
  private static JavaClasses herald;

  @BeforeAll
  static void importClasses() {
    herald = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.herald");
  }

  @Test
  void theDomainDependsOnNothingElseInHerald() {
    noClasses().that().resideInAPackage("io.herald.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.kv..", "io.herald.publish..", "io.herald.raft..",
            "io.herald.http..", "io.herald.cli..", "io.herald.config..", "io.herald.metrics..")
        .check(herald);
  }

  @Test
  void theTopologyModelIsPureAndDependsOnNothingInHeraldButTheDomain() {
    classes().that().resideInAPackage("io.herald.topology..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.herald.topology..", "io.herald.cluster..")
        .check(herald);
    noClasses().that().resideInAPackage("io.herald.topology..")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.net..", "java.nio..", "java.sql..")
        .check(herald);
  }

  @Test
  void storesDependOnlyOnTheDomain() {
    noClasses().that().resideInAPackage("io.herald.kv..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.publish..", "io.herald.raft..", "io.herald.http..",
            "io.herald.cli..", "io.herald.config..", "io.herald.metrics..")
        .check(herald);
  }

  @Test
  void noBackendLeaksAboveItsAdapter() {
    noClasses().that().resideOutsideOfPackages("io.herald.kv.zookeeper..", "io.herald.kv.etcd..", "io.herald.kv.consul..")
        .and().resideOutsideOfPackage("io.herald")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.zookeeper..", "org.apache.curator..", "io.etcd..")
        .check(herald);
  }

  @Test
  void publishingKnowsNothingOfRaftHttpOrConfig() {
    noClasses().that().resideInAPackage("io.herald.publish..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.raft..", "io.herald.http..", "io.herald.cli..",
            "io.herald.config..", "org.apache.ratis..")
        .check(herald);
  }

  @Test
  void raftIsTheOnlyPackageThatSeesRatis() {
    noClasses().that().resideOutsideOfPackage("io.herald.raft..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.ratis..")
        .check(herald);
  }

  @Test
  void raftKnowsNothingOfStoresOrPublishing() {
    noClasses().that().resideInAPackage("io.herald.raft..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.kv..", "io.herald.publish..", "io.herald.http..",
            "io.herald.cli..", "io.herald.config..")
        .check(herald);
  }

  @Test
  void httpAndCliDoNotReachIntoEachOther() {
    noClasses().that().resideInAPackage("io.herald.http..").should().dependOnClassesThat().resideInAPackage("io.herald.cli..")
        .check(herald);
    noClasses().that().resideInAPackage("io.herald.cli..").should().dependOnClassesThat().resideInAnyPackage(
        "io.herald.http..", "io.herald.raft..", "io.herald.publish..", "io.herald.kv..").check(herald);
  }

  @Test
  void theMysqlAdapterSeesOnlyTheTopologyModel() {
    noClasses().that().resideInAPackage("io.herald.mysql..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.kv..", "io.herald.publish..", "io.herald.raft..",
            "io.herald.http..", "io.herald.cli..", "io.herald.config..", "io.herald.discovery..", "io.herald.metrics..")
        .check(herald);
  }

  @Test
  void onlyTheMysqlAdapterTalksJdbc() {
    noClasses().that().resideOutsideOfPackage("io.herald.mysql..")
        .should().dependOnClassesThat().resideInAnyPackage("org.mariadb..", "java.sql..")
        .check(herald);
  }

  @Test
  void discoveryKnowsNothingOfStoresPublishingHttpOrConfig() {
    noClasses().that().resideInAPackage("io.herald.discovery..")
        .should().dependOnClassesThat().resideInAnyPackage("io.herald.kv..", "io.herald.publish..", "io.herald.http..",
            "io.herald.cli..", "io.herald.config..", "org.apache.ratis..")
        .check(herald);
  }

  @Test
  void noManagersHelpersOrUtils() {
    noClasses().should().haveSimpleNameEndingWith("Manager").orShould().haveSimpleNameEndingWith("Helper")
        .orShould().haveSimpleNameEndingWith("Util").orShould().haveSimpleNameEndingWith("Utils").check(herald);
  }
}
