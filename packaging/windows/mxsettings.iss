; Inno Setup script for the Windows installer, wrapping the PyInstaller bundle built from
; packaging/mxsettings.spec (dist\mxsettings\). Run from the repository root by the release workflow:
;   iscc /DAppVersion=0.1.0 packaging\windows\mxsettings.iss
; Installs per user by default (no administrator needed); Windows' own language choice picks the wizard's
; language, and the app follows the same setting at run time.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F1B9B52-6C0E-4C5E-9D8B-2B8E4D3A7C11}
AppName=Matrix Account Settings
AppVersion={#AppVersion}
AppPublisher=The mxsettings developers
AppPublisherURL=https://github.com/mxsettings/mxsettings
DefaultDirName={autopf}\mxsettings
DefaultGroupName=Matrix Account Settings
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=mxsettings-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\mxsettings.ico
UninstallDisplayIcon={app}\mxsettings.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[Files]
Source: "..\..\dist\mxsettings\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Matrix Account Settings"; Filename: "{app}\mxsettings.exe"; AppUserModelID: "io.github.mxsettings.MxSettings"

[Run]
Filename: "{app}\mxsettings.exe"; Description: "{cm:LaunchProgram,Matrix Account Settings}"; Flags: nowait postinstall skipifsilent
