// SPDX-License-Identifier: Apache-2.0

/// The usbif test's scripts (see ``UsbTestPlan``).
extension SessionScripts {
    /// The driver domain's USB disk: a configfs mass-storage gadget on
    /// dummy_hcd's UDC backed by the pattern file; it waits for the guest's
    /// write, checks it (`usbif-write`), then unplugs and replugs the gadget.
    /// With the isochronous check it first attaches the USB/IP counter
    /// microphone to vhci-hcd (it runs until the end of the session).
    /// `gadgetModule` is where the session put usb_f_mass_storage.ko.
    package static func domdUsb(_ plan: UsbTestPlan, gadgetModule: String) -> String {
        prologue("/run/driverdom-session/bin") + """
        say() { echo "driverdom-test: $*"; }
        dir=/run/driverdom-session/usb
        g=/sys/kernel/config/usb_gadget/e2e
        mkdir -p $dir
        \(domdMicrophone(plan))insmod \(gadgetModule)
        grep -q configfs /proc/mounts || mount -t configfs configfs /sys/kernel/config
        \(UsbTestPlan.diskRecords) > $dir/disk.img
        \(UsbTestPlan.writtenRecords) > $dir/written
        mkdir -p $g/strings/0x409 $g/configs/c.1 $g/functions/mass_storage.0
        echo 0x1d6b > $g/idVendor
        echo 0x0104 > $g/idProduct
        echo driverdom > $g/strings/0x409/manufacturer
        echo "usbif e2e disk" > $g/strings/0x409/product
        echo 0001 > $g/strings/0x409/serialnumber
        # Short replies end with a short packet, without f_mass_storage's default
        # bulk-in halt: the halt/clear-halt path through usbif is left to the unit tests.
        echo 0 > $g/functions/mass_storage.0/stall
        echo $dir/disk.img > $g/functions/mass_storage.0/lun.0/file
        ln -s $g/functions/mass_storage.0 $g/configs/c.1/
        if ! echo \(plan.udc) > $g/UDC; then
          say "verdict usbif-write FAIL the mass-storage gadget could not be bound to \(plan.udc)"
          exit 0
        fi
        echo "e2e-usb: mass-storage gadget on \(plan.udc), $(wc -c < $dir/disk.img) bytes"
        written() { dd if=$dir/disk.img bs=1048576 skip=1 count=1 2>/dev/null | cmp -s - $dir/written; }
        n=0
        until written; do
          n=$((n+1)); [ $n -ge \(UsbTestPlan.writeWaitSeconds) ] && break; sleep 1
        done
        if written; then
          say "verdict usbif-write PASS the backing file holds the 1 MiB the guest wrote at 1 MiB"
          sleep 1
          echo "e2e-usb: unplugging the gadget"
          echo "" > $g/UDC
          sleep 3
          echo \(plan.udc) > $g/UDC
          echo "e2e-usb: gadget plugged in again"
        else
          say "verdict usbif-write FAIL the guest's 1 MiB at 1 MiB is not in the backing file after \(UsbTestPlan.writeWaitSeconds) s: $(dd if=$dir/disk.img bs=1048576 skip=1 count=1 2>/dev/null | cmp - $dir/written 2>&1 | head -n 1)"
        fi

        """
    }

    /// The driver domain's counter microphone on vhci-hcd's USB 2 port 0, when the plan has the isochronous check.
    static func domdMicrophone(_ plan: UsbTestPlan) -> String {
        guard let vhci = plan.vhci else { return "" }
        let attach = UsbTestPlan.attachFile(of: vhci)
        return """
        if [ -e \(attach) ]; then
          \(folder)/bin/\(UsbTestPlan.isoProgram) \(attach) 0 &
        else
          echo "e2e-usb: no \(attach) in the driver domain (is vhci-hcd loaded?): no counter microphone"
        fi

        """
    }

    /// The test guest's isochronous check: load snd-usb-audio, wait for the
    /// counter microphone's card, record ``UsbTestPlan/isoRecordFrames`` of it
    /// (a 2 s buffer and 20 ms periods, so a stream slower than real time still
    /// wakes the reader) and check the recording's counters and length.
    static func guestUsbIso(moduleFolder: String) -> String {
        let modules = UsbTestPlan.isoGuestModules.map { moduleFolder + "/" + ($0.split(separator: "/").last ?? "") }
        let frames = UsbTestPlan.isoRecordFrames
        let limit = UsbTestPlan.isoTimeLimitSeconds
        return """
        if grep -q \(UsbTestPlan.isoGuestFlag) /proc/cmdline; then
        for module in \(modules.joined(separator: " ")); do load_module $module; done
        usbcard() { awk '/USB-Audio/ { print $1; exit }' /proc/asound/cards 2>/dev/null; }
        n=0
        until [ -n "$(usbcard)" ] && [ -e /dev/snd/pcmC$(usbcard)D0c ]; do n=$((n+1)); [ $n -ge 60 ] && break; sleep 1; done
        card=$(usbcard)
        if [ -z "$card" ] || [ ! -e /dev/snd/pcmC${card}D0c ]; then
          cards=$(tr -s ' \\n' ' ' < /proc/asound/cards 2>/dev/null)
          echo "driverdom-test: verdict \(UsbTestPlan.isoCheck) FAIL no USB audio capture device appeared within 60 s (cards: ${cards:-none}; USB devices: $(ls /sys/bus/usb/devices 2>/dev/null | tr '\\n' ' '))"
        else
          echo "driverdom-test: recording \(frames) frames from USB audio card $card ($(sed -n "s/^ *$card .*: //p" /proc/asound/cards | head -n 1))"
          start=$(cut -d ' ' -f 1 /proc/uptime)
          arecord -D hw:$card,0 -f S16_LE -c 2 -r 48000 -t raw -q -s \(frames) -B 2000000 -F 20000 > /tmp/usb-rec.raw 2> /tmp/usb-rec.err &
          rec=$!
          ( sleep \(limit); kill $rec 2>/dev/null ) &
          watchdog=$!
          wait $rec
          end=$(cut -d ' ' -f 1 /proc/uptime)
          kill $watchdog 2>/dev/null
          bytes=$(wc -c < /tmp/usb-rec.raw)
          rate=$(awk "BEGIN { t = $end - $start; if (t <= 0) t = 0.01; printf \\"%.1f s, %.1f%% of real time\\", t, 100 * $bytes / 192000 / t }")
          echo "driverdom-test: recorded $bytes bytes ($((bytes / 4)) frames) through usbif in $rate; arecord: $(head -c 300 /tmp/usb-rec.err | tr '\\n' ' ')"
          out=$(\(Probes.soundProbe) check-window \(frames) \(UsbTestPlan.isoCheck) < /tmp/usb-rec.raw 2>&1)
          status=$?
          echo "$out (recorded in $rate)"
          case "$out" in
            *"verdict \(UsbTestPlan.isoCheck) "*) ;;
            *) echo "driverdom-test: verdict \(UsbTestPlan.isoCheck) FAIL the recording's check printed no verdict (exit $status): $out" ;;
          esac
        fi
        fi

        """
    }

    /// The test guest's USB checks (xen-hcd was loaded with the guest's
    /// out-of-tree modules): load usb-storage and sd_mod (`moduleFolder` holds
    /// the kit's modules; `load_module` skips loaded ones), read the disk,
    /// write to it, see it leave and come back.
    static func guestUsb(moduleFolder: String) -> String {
        let modules = UsbTestPlan.guestModules.map { moduleFolder + "/" + ($0.split(separator: "/").last ?? "") }
        return """
        if grep -q \(UsbTestPlan.guestFlag) /proc/cmdline; then
        for module in \(modules.joined(separator: " ")); do load_module $module; done
        usbdisk() { for b in /sys/block/sd*; do [ -e "$b" ] && { echo /dev/${b##*/}; return; }; done; }
        waitdisk() {
          n=0
          until [ -n "$(usbdisk)" ] && [ -b "$(usbdisk)" ]; do n=$((n+1)); [ $n -ge $1 ] && return 1; sleep 1; done
        }
        \(UsbTestPlan.diskRecords) > /tmp/usb-pattern
        head -c 1048576 /tmp/usb-pattern > /tmp/usb-first
        if ! waitdisk 60; then
          buses=$(ls /sys/bus/usb/devices 2>/dev/null | tr '\\n' ' ')
          echo "driverdom-test: verdict usbif FAIL no USB disk appeared within 60 s (USB devices: ${buses:-none}; xen-hcd loaded: $(grep -c xen_hcd /proc/modules))"
          echo "driverdom-test: verdict usbif-replug FAIL no USB disk to unplug"
        else
          dev=$(usbdisk)
          # xen-hcd carries at most 16 granted pages per URB (and a 16-bit length):
          # keep usb-storage's requests at 32 KiB.
          echo 32 > /sys/block/${dev#/dev/}/queue/max_sectors_kb 2>/dev/null
          start=$(cut -d ' ' -f 1 /proc/uptime)
          if result=$(cmp $dev /tmp/usb-pattern 2>&1); then
            end=$(cut -d ' ' -f 1 /proc/uptime)
            rate=$(awk "BEGIN { t = $end - $start; if (t <= 0) t = 0.01; printf \\"%.2f\\", 4 / t }")
            echo "driverdom-test: verdict usbif PASS read all \(UsbTestPlan.diskBytes) bytes of $dev byte for byte through xen-hcd ($rate MiB/s)"
          else
            echo "driverdom-test: verdict usbif FAIL $dev is not DomD's disk: $result"
          fi
          if \(UsbTestPlan.writtenRecords) | dd of=$dev bs=1048576 seek=1 conv=fsync 2>/dev/null; then
            echo "driverdom-test: guest wrote 1 MiB at 1 MiB of $dev"
          else
            echo "driverdom-test: guest could not write to $dev"
          fi
          n=0
          while [ -e /sys/block/${dev#/dev/} ]; do n=$((n+1)); [ $n -ge 120 ] && break; sleep 1; done
          if [ -e /sys/block/${dev#/dev/} ]; then
            echo "driverdom-test: verdict usbif-replug FAIL $dev did not leave within 120 s of the write"
          elif ! waitdisk 60; then
            echo "driverdom-test: verdict usbif-replug FAIL the disk left but did not come back within 60 s"
          elif result=$(dd if=$(usbdisk) bs=1048576 count=1 2>/dev/null | cmp - /tmp/usb-first 2>&1); then
            echo "driverdom-test: verdict usbif-replug PASS the disk left and came back as $(usbdisk); its first MiB read again"
          else
            echo "driverdom-test: verdict usbif-replug FAIL the disk came back as $(usbdisk) but reads differently: $result"
          fi
        fi
        fi

        """
    }

    /// dom0's relay of the driver domain's `usbif-write` verdict (printed on DomD's console).
    static func relayDomDUsb(domd: String) -> String {
        """
        log=/var/log/xen/console/guest-\(domd).log
        n=0
        until grep -q "driverdom-test: verdict usbif-write" $log 2>/dev/null; do
          n=$((n+1)); [ $n -ge 15 ] && break; sleep 1
        done
        grep "driverdom-test: verdict usbif-write" $log | sed "s/^/[\(domd)] /"
        echo "--- \(domd)'s usbif and USB disk lines ---"
        grep -e "usbif: " -e "e2e-usb" -e " usb 1-" -e "qusb" -e "vhci" $log | grep -v "driverdom-test: verdict" | head -n 40 \
          | sed "s/^/[\(domd)] /"

        """
    }

    /// dom0's check, after guest `$guest` (domain `$guestid`) is gone, that the
    /// driver domain removed its PV USB controllers' backend nodes.
    static var usbTeardown: String {
        """
        node=/local/domain/$backend_domid/backend/qusb/$guestid
        n=0
        while xenstore-read $node >/dev/null 2>&1; do n=$((n+1)); [ $n -ge 20 ] && break; sleep 1; done
        if xenstore-read $node >/dev/null 2>&1; then
          say "verdict usbif-teardown FAIL $node left 20 s after $guest was destroyed"
        else
          say "verdict usbif-teardown PASS the usbctrl nodes of $guest (domain $guestid) removed after destroy"
        fi

        """
    }
}
