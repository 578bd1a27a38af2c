package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.redfish.FakeBmc.Dialect;
import io.smartupdate.redfish.FakeBmc.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * A stub BMC's Redfish resources in its dialect's shape (DMTF ServiceRoot, UpdateService, ActionInfo,
 * SoftwareInventory, ComputerSystem; iLO's Oem.Hpe, iDRAC's Oem.Dell), built from its live state.
 */
final class BmcResources {
  private final FakeBmc bmc;

  BmcResources(FakeBmc bmc) {
    this.bmc = bmc;
  }

  ObjectNode root() {
    ObjectNode root = FakeBmc.object("#ServiceRoot.v1_11_0.ServiceRoot", "/redfish/v1/");
    root.put("Id", "RootService").put("Name", "Root Service").put("RedfishVersion", "1.15.0");
    FakeBmc.link(root, "UpdateService", "/redfish/v1/UpdateService");
    FakeBmc.link(root, "Managers", "/redfish/v1/Managers");
    FakeBmc.link(root, "Systems", "/redfish/v1/Systems");
    FakeBmc.link(root, "EventService", "/redfish/v1/EventService");
    if (bmc.sessions()) {
      FakeBmc.link(root, "SessionService", "/redfish/v1/SessionService");
      FakeBmc.link(root.putObject("Links"), "Sessions", "/redfish/v1/SessionService/Sessions");
    }
    switch (bmc.dialect) {
      case ILO5, ILO6 -> root.put("Vendor", "HPE").putObject("Oem").putObject("Hpe").putObject("Manager")
          .put("ManagerType", bmc.dialect == Dialect.ILO5 ? "iLO 5" : "iLO 6");
      case IDRAC9 -> root.put("Vendor", "Dell").put("Product", "Integrated Dell Remote Access Controller");
      case OPENBMC -> root.put("Vendor", "OpenBMC");
      default -> root.put("Vendor", "Contoso");
    }
    return root;
  }

  ObjectNode updateService() {
    ObjectNode service = FakeBmc.object("#UpdateService.v1_11_0.UpdateService", "/redfish/v1/UpdateService");
    service.put("Id", "UpdateService").put("Name", "Update Service").put("ServiceEnabled", true);
    FakeBmc.link(service, "FirmwareInventory", "/redfish/v1/UpdateService/FirmwareInventory");
    ObjectNode action = service.putObject("Actions").putObject("#UpdateService.SimpleUpdate");
    action.put("target", "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate");
    if (bmc.dialect == Dialect.DMTF) {
      action.put("@Redfish.ActionInfo", "/redfish/v1/UpdateService/SimpleUpdateActionInfo");
    } else {
      ArrayNode allowed = action.putArray("TransferProtocol@Redfish.AllowableValues");
      bmc.protocols.forEach(allowed::add);
    }
    if (bmc.dialect == Dialect.ILO6 || bmc.dialect == Dialect.IDRAC9) bmc.slots.applyTimeSupport(action);
    if (bmc.dialect == Dialect.OPENBMC) {
      bmc.slots.pushOptions(service);
      if (!bmc.noMultipart) service.put("MultipartHttpPushUri", "/redfish/v1/UpdateService/update-multipart");
      service.put("HttpPushUri", "/redfish/v1/UpdateService/update");
      service.put("MaxImageSizeBytes", 33554432);
    }
    if (bmc.dialect == Dialect.ILO5 || bmc.dialect == Dialect.ILO6) {
      ObjectNode hpe = service.putObject("Oem").putObject("Hpe");
      hpe.put("@odata.type", "#HpeiLOUpdateServiceExt.v2_3_0.HpeiLOUpdateServiceExt");
      String state = switch (bmc.phase) {
        case IDLE -> "Idle";
        case FETCHING -> "Uploading";
        case FLASHING, RESETTING -> "Progressing";
        case DONE -> "Complete";
        case TASK_GONE -> "Idle";
        case FAILED, ENDED -> "Error";
      };
      hpe.put("State", state).put("FlashProgressPercent", bmc.percent);
      if (bmc.phase == Phase.FAILED) hpe.putObject("Result").put("MessageId", bmc.message);
      if (bmc.dialect == Dialect.ILO5) bmc.advance(); // iLO 5 reports progress here only
    }
    return service;
  }

  ObjectNode actionInfo() {
    ObjectNode info = FakeBmc.object("#ActionInfo.v1_3_0.ActionInfo", "/redfish/v1/UpdateService/SimpleUpdateActionInfo");
    info.put("Id", "SimpleUpdateActionInfo").put("Name", "Simple Update Action Info");
    ArrayNode parameters = info.putArray("Parameters");
    parameters.addObject().put("Name", "ImageURI").put("Required", true).put("DataType", "String");
    ArrayNode allowed = parameters.addObject().put("Name", "TransferProtocol").put("Required", false).put("DataType", "String")
        .putArray("AllowableValues");
    bmc.protocols.forEach(allowed::add);
    parameters.addObject().put("Name", "Targets").put("Required", bmc.requireTargets).put("DataType", "StringArray");
    return info;
  }

  /** The inventory: the BMC's own firmware (its bmc.version changes on a successful update), a BIOS that never does, then {@link #bmc.extraMembers}. */
  /** The Name of the BMC's own firmware in the inventory. */
  public String bmcName() {
    return switch (bmc.dialect) {
      case ILO5 -> "iLO 5";
      case ILO6 -> "iLO 6";
      case IDRAC9 -> "Integrated Dell Remote Access Controller";
      case OPENBMC -> "bmc_active";
      case DMTF -> "BMC";
    };
  }

  /** The Name of the host's BIOS or system ROM in the inventory. */
  public String biosName() {
    return bmc.dialect == Dialect.ILO5 || bmc.dialect == Dialect.ILO6 ? "System ROM" : "BIOS";
  }

  List<ObjectNode> inventory() {
    String bmcName = bmcName();
    String bmcId = switch (bmc.dialect) {
      case ILO5, ILO6 -> "1";
      case IDRAC9 -> "Installed-25227-" + bmc.version + "__iDRAC.Embedded.1-1";
      case OPENBMC -> "bmc_active";
      case DMTF -> "BMC";
    };
    String biosId = bmc.dialect == Dialect.IDRAC9 ? "Installed-159-" + bmc.biosVersion + "__BIOS.Setup.1-1" : bmc.dialect == Dialect.ILO5 || bmc.dialect == Dialect.ILO6 ? "2" : "BIOS";
    ObjectNode bmcItem = FakeBmc.item(bmcId, bmcName, bmc.version);
    ObjectNode biosItem = FakeBmc.item(biosId, biosName(), bmc.biosVersion);
    switch (bmc.dialect) {
      case ILO5, ILO6 -> {
        // iLO's HpeiLOSoftwareInventory: the device class and target GUIDs SUM and fwpkg payloads match on.
        FakeBmc.hpe(bmcItem, FakeBmc.ILO_DEVICE_CLASS, "System Board", FakeBmc.ILO_TARGET);
        FakeBmc.hpe(biosItem, FakeBmc.ROM_DEVICE_CLASS, "System Board", FakeBmc.ROM_TARGET);
      }
      case IDRAC9 -> {
        FakeBmc.dell(bmcItem, "25227", "FRMW", null);
        FakeBmc.dell(biosItem, "159", "BIOS", null);
        bmcItem.put("SoftwareId", "25227");
        biosItem.put("SoftwareId", "159");
      }
      default -> { }
    }
    List<ObjectNode> all = new ArrayList<>(List.of(bmcItem, biosItem));
    all.addAll(bmc.extraMembers);
    return all;
  }

  /** Where the bmc.dialect keeps its one ComputerSystem. */
  String systemPath() {
    return switch (bmc.dialect) {
      case IDRAC9 -> "/redfish/v1/Systems/System.Embedded.1";
      case OPENBMC -> "/redfish/v1/Systems/system";
      default -> "/redfish/v1/Systems/1";
    };
  }

  /** The ComputerSystem: Model and SKU as each vendor fills them (Dell: the service tag, and a numeric SystemID). */
  ObjectNode system() {
    ObjectNode system = FakeBmc.object("#ComputerSystem.v1_20_0.ComputerSystem", systemPath());
    system.put("Id", systemPath().substring(systemPath().lastIndexOf('/') + 1)).put("Name", "System");
    switch (bmc.dialect) {
      case ILO5 -> system.put("Manufacturer", "HPE").put("Model", bmc.model == null ? "ProLiant DL380 Gen10" : bmc.model).put("SKU", "868703-B21");
      case ILO6 -> system.put("Manufacturer", "HPE").put("Model", bmc.model == null ? "ProLiant DL380 Gen11" : bmc.model).put("SKU", "P52534-B21");
      case IDRAC9 -> {
        system.put("Manufacturer", "Dell Inc.").put("Model", bmc.model == null ? "PowerEdge R750" : bmc.model).put("SKU", "ABC1234");
        system.putObject("Oem").putObject("Dell").putObject("DellSystem").put("SystemID", 2667); // 0x0A6B
      }
      case OPENBMC -> system.put("Manufacturer", "OpenBMC").put("Model", bmc.model == null ? "Romulus" : bmc.model);
      case DMTF -> system.put("Manufacturer", "Contoso").put("Model", bmc.model == null ? "3500" : bmc.model).put("SKU", "8675309");
    }
    system.put("PowerState", bmc.slots.power());
    bmc.slots.resetAction(system, systemPath(), bmc.dialect == Dialect.OPENBMC);
    return system;
  }
}
