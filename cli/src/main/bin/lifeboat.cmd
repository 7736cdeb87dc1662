@echo off
rem Starts the Lifeboat CLI: lifeboat.jar next to this bin folder, with its class-data-sharing
rem archive (lifeboat.jsa) when there is one. JAVA_HOME picks the Java, JAVA_OPTS adds JVM options,
rem LIFEBOAT_CDS=off starts without the archive. An archive that does not fit the Java in use is
rem ignored by the JVM.
setlocal
set "LIFEBOAT_HOME=%~dp0.."
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java"
if not exist "%LIFEBOAT_HOME%\lifeboat.jar" (
  echo lifeboat: %LIFEBOAT_HOME%\lifeboat.jar is missing; reinstall Lifeboat or build it with 'mvn -B package'. 1>&2
  exit /b 2
)
rem Commands that stream no archive start faster with the quick compiler alone; the others compile
rem later (see bin/lifeboat).
set "QUICK=-XX:CompileThresholdScaling=3"
for %%c in (list branch keys prune) do if /i "%~1"=="%%c" set "QUICK=-XX:TieredStopAtLevel=1 -XX:NewRatio=1"
if "%~1"=="" set "QUICK=-XX:TieredStopAtLevel=1 -XX:NewRatio=1"
set "CDS="
if /i not "%LIFEBOAT_CDS%"=="off" if exist "%LIFEBOAT_HOME%\lifeboat.jsa" set "CDS=-XX:SharedArchiveFile=%LIFEBOAT_HOME%\lifeboat.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
"%JAVA_EXE%" -XX:+UseSerialGC %QUICK% %JAVA_OPTS% %CDS% -jar "%LIFEBOAT_HOME%\lifeboat.jar" %*
exit /b %ERRORLEVEL%
