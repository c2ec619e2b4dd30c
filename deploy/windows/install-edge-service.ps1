<#
.SYNOPSIS
    Installs (or removes) a township edge as a Windows service, from the self-contained win-x64 package.

.DESCRIPTION
    Run it from an elevated PowerShell (Windows PowerShell 5.1 or PowerShell 7) in the unpacked package, e.g.
    C:\EGovEdge\edge\deploy\install-edge-service.ps1. It
      - creates the service "EGovEdge-<code>" for EGovEdge.Edge.exe with the --EGov:* settings on its command line
        (New-Service), running as its own virtual account "NT SERVICE\EGovEdge-<code>", started automatically
        (delayed) and restarted by the service manager when it fails (sc.exe failure);
      - creates the data folder (default C:\ProgramData\EGovEdge\<code>) that only that account, SYSTEM and the
        Administrators may open;
      - passes the secrets (administrator password, enrollment code, static key) as environment variables of the
        service, not on its command line, and removes the administrator password again once the edge has started
        (it is only needed on the first start);
      - optionally opens the port in Windows Firewall for the township LAN (-OpenFirewall);
      - starts the service and waits until http://127.0.0.1:<port>/healthz answers.
    The edge notices it runs as a Windows service (Microsoft.Extensions.Hosting.WindowsServices): stop and
    shutdown requests from the service manager stop it gracefully. Logs: <DataDir>\logs\.
    Diagnostics: EGovEdge.Edge.exe sync status --EGov:DataDir=<DataDir> (from an elevated prompt).

.EXAMPLE
    .\install-edge-service.ps1 -NodeId guangshun -HubUrl https://hub.example.gov.cn -EnrollmentCode K7Q2-9XPM `
        -AdminPassword (Read-Host -AsSecureString 'admin password') -OpenFirewall

.EXAMPLE
    .\install-edge-service.ps1 -NodeId guangshun -EnrollmentCode NEW-CODE       # rotate the credential (service exists)

.EXAMPLE
    .\install-edge-service.ps1 -NodeId guangshun -Uninstall                     # removes the service, keeps the data
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    # Township code: lower-case letters, digits, '-' or '_', starting with a letter.
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[a-z][a-z0-9_-]{0,39}$')]
    [string] $NodeId,

    # The county hub's address (required when installing).
    [ValidatePattern('^https?://')]
    [string] $HubUrl,

    # One-time code from the hub (系统管理 -> 乡镇接入). Given again with a new code, it rotates the credential.
    [string] $EnrollmentCode,

    # Password of the local administrator 'admin', needed on the first start only (8+ characters, letters and digits).
    [securestring] $AdminPassword,

    # Static key (tests and demos only; production townships enroll).
    [string] $HubKey,

    # Where the package is (the folder holding EGovEdge.Edge.exe). Default: the folder above this script.
    [string] $InstallDir = (Split-Path -Parent $PSScriptRoot),

    # Data folder (edge.db, keys, logs, hub-credential).
    [string] $DataDir = (Join-Path $env:ProgramData ('EGovEdge\' + $NodeId)),

    # Address the staff browsers use on the township LAN.
    [string] $Urls = 'http://0.0.0.0:5101',

    [ValidateRange(1, 86400)]
    [int] $SyncIntervalSeconds = 30,

    [string] $ServiceName = ('EGovEdge-' + $NodeId),

    # Allow the port through Windows Firewall (Domain and Private profiles).
    [switch] $OpenFirewall,

    # Stop and delete the service (the data folder stays).
    [switch] $Uninstall
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Test-Administrator {
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Invoke-Sc {
    # sc.exe, failing loudly (it reports errors only through its exit code and text).
    param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
    $output = & sc.exe @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw ("sc.exe {0} failed ({1}): {2}" -f ($Arguments -join ' '), $LASTEXITCODE, ($output -join ' '))
    }
}

function Get-Port {
    param([string] $Urls)
    $first = ($Urls -split ';')[0].Replace('0.0.0.0', '127.0.0.1').Replace('*', '127.0.0.1').Replace('+', '127.0.0.1')
    return ([uri] $first).Port
}

function Set-ServiceEnvironment {
    # Environment variables of one service: REG_MULTI_SZ "Environment" under its registry key.
    param([string] $Name, [hashtable] $Values)
    $key = "HKLM:\SYSTEM\CurrentControlSet\Services\$Name"
    $current = @{}
    $existing = (Get-ItemProperty -Path $key -Name Environment -ErrorAction SilentlyContinue)
    if ($null -ne $existing) {
        foreach ($line in $existing.Environment) {
            $i = $line.IndexOf('=')
            if ($i -gt 0) { $current[$line.Substring(0, $i)] = $line.Substring($i + 1) }
        }
    }
    foreach ($k in $Values.Keys) {
        if ($null -eq $Values[$k]) { $current.Remove($k) } else { $current[$k] = $Values[$k] }
    }
    $lines = @($current.Keys | Sort-Object | ForEach-Object { '{0}={1}' -f $_, $current[$_] })
    if ($lines.Count -eq 0) {
        Remove-ItemProperty -Path $key -Name Environment -ErrorAction SilentlyContinue
    } else {
        New-ItemProperty -Path $key -Name Environment -PropertyType MultiString -Value $lines -Force | Out-Null
    }
}

function Wait-Healthy {
    param([int] $Port, [int] $Seconds = 90)
    $deadline = (Get-Date).AddSeconds($Seconds)
    while ((Get-Date) -lt $deadline) {
        try {
            $r = Invoke-WebRequest -Uri ("http://127.0.0.1:{0}/healthz" -f $Port) -UseBasicParsing -TimeoutSec 3
            if ($r.StatusCode -eq 200) { return $true }
        } catch {
            Start-Sleep -Milliseconds 500
        }
    }
    return $false
}

if (-not (Test-Administrator)) { throw 'Run this script from an elevated PowerShell (Run as administrator).' }

$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
$firewallRule = "EGovEdge edge $NodeId"

if ($Uninstall) {
    if ($null -ne $service) {
        if ($PSCmdlet.ShouldProcess($ServiceName, 'stop and delete the service')) {
            if ($service.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force }
            Invoke-Sc delete $ServiceName
        }
    }
    Get-NetFirewallRule -DisplayName $firewallRule -ErrorAction SilentlyContinue | Remove-NetFirewallRule
    Write-Host "Removed service $ServiceName. The data folder $DataDir was kept."
    return
}

$exe = Join-Path $InstallDir 'EGovEdge.Edge.exe'
if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { throw "$exe not found: give -InstallDir, the folder of the win-x64 edge package." }
$DataDir = $DataDir.TrimEnd('\')
$port = Get-Port $Urls

$secrets = @{}
if ($EnrollmentCode) { $secrets['EGov__EnrollmentCode'] = $EnrollmentCode.Trim() }
if ($HubKey) { $secrets['EGov__HubKey'] = $HubKey }
if ($null -ne $AdminPassword) {
    $secrets['EGov__Admin__Password'] = (New-Object System.Net.NetworkCredential('', $AdminPassword)).Password
}

if ($null -eq $service) {
    if (-not $HubUrl) { throw '-HubUrl is required to install the service.' }
    if (-not $EnrollmentCode -and -not $HubKey) { Write-Warning 'Neither -EnrollmentCode nor -HubKey: the edge works offline but cannot sync until it is enrolled.' }
    if (-not (Test-Path -LiteralPath (Join-Path $DataDir 'edge.db')) -and $null -eq $AdminPassword) {
        throw 'A new edge needs -AdminPassword (the local administrator is created on the first start).'
    }
    # Settings on the command line (no secrets there: anyone may read a service's command line).
    $binPath = ('"{0}" --urls {1} --EGov:NodeId={2} --EGov:DataDir="{3}" --EGov:HubUrl={4} --EGov:SyncIntervalSeconds={5}' -f `
            $exe, $Urls, $NodeId, $DataDir, $HubUrl, $SyncIntervalSeconds)
    if ($PSCmdlet.ShouldProcess($ServiceName, "create service: $binPath")) {
        New-Item -ItemType Directory -Path $DataDir -Force | Out-Null
        New-Service -Name $ServiceName -BinaryPathName $binPath -DisplayName "EGovEdge township node $NodeId" `
            -Description "EGovEdge township edge $NodeId (data: $DataDir)" -StartupType Automatic | Out-Null
        # Its own virtual account, delayed automatic start, restart on failure (5 s, 5 s, then 60 s; reset after a day).
        Invoke-Sc config $ServiceName obj= "NT SERVICE\$ServiceName" start= delayed-auto
        Invoke-Sc failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/60000
        Invoke-Sc failureflag $ServiceName 1
        # Data folder: the service account, SYSTEM and Administrators only (SIDs, so any Windows language works).
        & icacls.exe $DataDir /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' "NT SERVICE\${ServiceName}:(OI)(CI)M" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "icacls $DataDir failed ($LASTEXITCODE)" }
    }
} else {
    Write-Host "Service $ServiceName exists: updating its secrets and restarting it."
    if ($service.Status -ne 'Stopped' -and $PSCmdlet.ShouldProcess($ServiceName, 'stop')) { Stop-Service -Name $ServiceName -Force }
}

if ($secrets.Count -gt 0 -and $PSCmdlet.ShouldProcess($ServiceName, 'set service environment')) {
    Set-ServiceEnvironment -Name $ServiceName -Values $secrets
}

if ($OpenFirewall -and $PSCmdlet.ShouldProcess($firewallRule, "allow TCP $port inbound")) {
    if (-not (Get-NetFirewallRule -DisplayName $firewallRule -ErrorAction SilentlyContinue)) {
        New-NetFirewallRule -DisplayName $firewallRule -Direction Inbound -Protocol TCP -LocalPort $port `
            -Action Allow -Profile Domain, Private | Out-Null
    }
}

if ($PSCmdlet.ShouldProcess($ServiceName, 'start')) {
    Start-Service -Name $ServiceName
    if (-not (Wait-Healthy -Port $port)) {
        throw "$ServiceName started but http://127.0.0.1:$port/healthz does not answer: see $DataDir\logs and the Application event log."
    }
    if ($secrets.ContainsKey('EGov__Admin__Password')) {
        # The administrator exists now; the password is not needed any more.
        Set-ServiceEnvironment -Name $ServiceName -Values @{ 'EGov__Admin__Password' = $null }
    }
    Write-Host "$ServiceName is running: http://127.0.0.1:$port/ (data: $DataDir)"
    Write-Host "Check sync: & '$exe' sync status --EGov:DataDir=`"$DataDir`""
}
