/**
 * The console's server messages in Spanish, keyed by their English text (see translate.ts): `{0}`, `{1}`…
 * stand for what a template literal fills in, and a translation may leave out one it does not need (a
 * plural ending). The scan test fails on a text of main's that is missing here.
 */
export const es: Readonly<Record<string, string>> = {
  // core/attempts.ts
  'This account is locked after too many failed attempts. An administrator must unlock it.':
    'Esta cuenta está bloqueada tras demasiados intentos fallidos. Un administrador debe desbloquearla.',
  'This account is locked after too many failed attempts until {0}.':
    'Esta cuenta está bloqueada tras demasiados intentos fallidos hasta el {0}.',
  'Too many failed attempts. Try again in {0} s.':
    'Demasiados intentos fallidos. Vuelve a intentarlo en {0} s.',
  // core/audit-anchor.ts
  'Only an owner can anchor the audit trail.': 'Solo un propietario puede anclar el registro de auditoría.',
  'The audit chain is broken at event {0} ({1}): an anchor would vouch for it.':
    'La cadena de auditoría está rota en el evento {0} ({1}): un ancla la daría por buena.',
  'This anchor is of another database ({0}), not of this one ({1}).':
    'Esta ancla es de otra base de datos ({0}), no de esta ({1}).',
  // core/auth.ts
  'This database already has an owner.': 'Esta base de datos ya tiene un propietario.',
  '{0} must set up two-factor authentication before acting (tessera 2fa enroll --email {1}).':
    '{0} debe configurar la verificación en dos pasos antes de actuar (tessera 2fa enroll --email {1}).',
  '{0} has two-factor authentication: give the current app code (or a backup code) on the line after the password.':
    '{0} tiene la verificación en dos pasos: da el código actual de la app (o un código de respaldo) en la línea siguiente a la contraseña.',
  'Your session has ended. Sign in again.': 'Tu sesión ha terminado. Vuelve a iniciar sesión.',
  'This account is disabled. Ask an administrator.':
    'Esta cuenta está desactivada. Pregunta a un administrador.',
  'The password is not correct.': 'La contraseña no es correcta.',
  'The email or password is not correct.': 'El correo o la contraseña no son correctos.',
  // core/backend.ts
  'Tessera is not set up yet.': 'Tessera aún no está configurado.',
  'The database is waiting for its passphrase.': 'La base de datos espera su frase de contraseña.',
  'The database is not waiting for a passphrase.': 'La base de datos no espera ninguna frase de contraseña.',
  'Tessera is already set up on this machine.': 'Tessera ya está configurado en este equipo.',
  // core/bulk.ts
  'There is no such bulk action.': 'No existe esa acción en bloque.',
  // core/email-service.ts
  'No more email now: the hourly limit is reached. Try again later.':
    'No se envían más correos por ahora: se alcanzó el límite por hora. Vuelve a intentarlo más tarde.',
  'No such message in the email outbox.': 'Ese mensaje no está en la bandeja de salida de correo.',
  'Enter the SMTP password again to change the server or the user: the stored password is never sent to a new server or user without it.':
    'Vuelve a introducir la contraseña SMTP para cambiar el servidor o el usuario: la contraseña guardada nunca se envía a otro servidor o usuario sin ella.',
  'SMTP needs the server name.': 'SMTP necesita el nombre del servidor.',
  'SMTP needs the From address.': 'SMTP necesita la dirección del remitente.',
  'Plain SMTP without TLS is allowed only to this machine (localhost, 127.0.0.1, ::1): messages carry codes.':
    'SMTP sin TLS solo se permite hacia este equipo (localhost, 127.0.0.1, ::1): los mensajes llevan códigos.',
  'Give the SMTP password.': 'Introduce la contraseña SMTP.',
  // core/password-service.ts
  'Choose a password different from the current one.': 'Elige una contraseña distinta de la actual.',
  'Give the code from your authenticator app (or a backup code) to change your password.':
    'Introduce el código de tu app de autenticación (o un código de respaldo) para cambiar tu contraseña.',
  'This reset code is not correct, or it has expired or was already used. Ask for a new one.':
    'Este código de restablecimiento no es correcto, ha caducado o ya se usó. Pide uno nuevo.',
  'This temporary access code is not correct.': 'Este código de acceso temporal no es correcto.',
  'No such user.': 'No existe ese usuario.',
  'Change your own password in My profile instead.': 'Cambia tu propia contraseña en Mi perfil.',
  'This person has not activated the account yet: send a new invitation instead.':
    'Esta persona aún no ha activado la cuenta: envíale una nueva invitación.',
  'This account is disabled: enable it first.': 'Esta cuenta está desactivada: actívala primero.',
  'No more email to this person now: the hourly limit is reached. Try again later.':
    'No se envían más correos a esta persona por ahora: se alcanzó el límite por hora. Vuelve a intentarlo más tarde.',
  // core/passwords.ts
  'A password has at most {0} characters': 'Una contraseña tiene como máximo {0} caracteres',
  'This password is in a list of common passwords; choose another.':
    'Esta contraseña está en una lista de contraseñas comunes; elige otra.',
  'Use at least {0} characters: this password will be the only thing that protects the account until two-factor authentication is on.':
    'Usa al menos {0} caracteres: esta contraseña será lo único que proteja la cuenta hasta que se active la verificación en dos pasos.',
  'Use at least {0} characters': 'Usa al menos {0} caracteres',
  'A password of one repeated character is too easy to guess.':
    'Una contraseña de un solo carácter repetido es demasiado fácil de adivinar.',
  'A password must not contain your email address.':
    'Una contraseña no puede contener tu dirección de correo.',
  // core/phone.ts
  'The phone number is not valid: {0}.': 'El número de teléfono no es válido: {0}.',
  'The phone number is not valid: {0} is not a number in use in that country.':
    'El número de teléfono no es válido: {0} no es un número en uso en ese país.',
  // core/phones.ts
  'Confirm that this is not the phone with your authenticator app: losing that phone would lose both.':
    'Confirma que este no es el teléfono con tu app de autenticación: si perdieras ese teléfono, perderías ambos.',
  'The two phone numbers are not the same. Enter the same number twice.':
    'Los dos números de teléfono no coinciden. Introduce el mismo número dos veces.',
  'This number is already your verified emergency phone.':
    'Este número ya es tu teléfono de emergencia verificado.',
  'Changing the emergency phone needs the current code from your authenticator app.':
    'Para cambiar el teléfono de emergencia necesitas el código actual de tu app de autenticación.',
  'No phone number is waiting for a code. Enter the number again.':
    'Ningún número de teléfono espera un código. Vuelve a introducir el número.',
  'This code expired, was already used, or was tried too many times. Ask for a new code.':
    'Este código caducó, ya se usó o se intentó demasiadas veces. Pide un código nuevo.',
  'This account has no verified emergency phone. Use a backup code, or ask support for help.':
    'Esta cuenta no tiene un teléfono de emergencia verificado. Usa un código de respaldo o pide ayuda a soporte.',
  'No code was sent. Ask for a code first.': 'No se envió ningún código. Pide un código primero.',
  'The code is not correct. {0} {1} left for this code.':
    'El código no es correcto. Intentos que quedan con este código: {0}.',
  'The code is not correct, and this code may not be tried again. Ask for a new code.':
    'El código no es correcto y este código ya no se puede volver a intentar. Pide un código nuevo.',
  'At most {0} SMS codes are sent per hour. Try again in {1} minute{2}.':
    'Se envían como máximo {0} códigos por SMS cada hora. Vuelve a intentarlo en {1} min.',
  // core/preferences.ts
  'This account no longer exists.': 'Esta cuenta ya no existe.',
  // core/provider-secret.ts
  'The {0} cannot be stored: {1}. {2}': 'No se puede guardar el dato «{0}»: {1}. {2}',
  'Nothing was changed: restart Tessera once the keychain runs again, then save again.':
    'No se cambió nada: reinicia Tessera cuando el llavero vuelva a funcionar y guarda de nuevo.',
  'Nothing was changed: save again once the keychain is back.':
    'No se cambió nada: guarda de nuevo cuando vuelva el llavero.',
  'Nothing was changed.': 'No se cambió nada.',
  // core/recovery.ts
  'You already asked support for help on {0} (request #{1}, {2}). Support will contact you.':
    'Ya pediste ayuda a soporte el {0} (solicitud n.º {1}, {2}). Soporte se pondrá en contacto contigo.',
  'A recovery request about {0} is already open (#{1}, {2}): finish or deny it first.':
    'Ya hay una solicitud de recuperación abierta sobre {0} (n.º {1}, {2}): termínala o deniégala primero.',
  'The request is {0}.': 'La solicitud está {0}.',
  'Record at least {0} identity checks before approving ({1} so far).':
    'Registra al menos {0} comprobaciones de identidad antes de aprobar (van {1}).',
  'The request is {0}; only an approved request gets a code.':
    'La solicitud está {0}; solo una solicitud aprobada recibe un código.',
  'The cooling-off period lasts until {0}; the code can be issued after that.':
    'El periodo de espera dura hasta el {0}; el código se podrá emitir después.',
  'This request changed meanwhile: open it again.': 'Esta solicitud cambió mientras tanto: vuelve a abrirla.',
  'This temporary access code is not valid: it may have expired, been used, or been replaced. Ask support again.':
    'Este código de acceso temporal no es válido: puede haber caducado, haberse usado o haberse sustituido. Vuelve a pedir ayuda a soporte.',
  'There is no recovery request #{0}.': 'No existe la solicitud de recuperación n.º {0}.',
  'Request #{0} is {1}: you cannot {2} it.': 'La solicitud n.º {0} está {1}: no puedes {2}.',
  // core/settings.ts
  'Only an owner can change the settings that protect everyone (SMS, recovery, lockout, idle lock and session lifetime).':
    'Solo un propietario puede cambiar los ajustes que protegen a todos (SMS, recuperación, bloqueo por intentos, bloqueo por inactividad y duración de la sesión).',
  'Your role does not allow this.': 'Tu rol no lo permite.',
  // core/sms-service.ts
  'No more SMS now: at most {0} messages are sent {1}. Try again later, or ask the owner.':
    'No se envían más SMS por ahora: como máximo se envían {0} mensajes {1}. Vuelve a intentarlo más tarde o pregunta al propietario.',
  'No such message in the outbox.': 'Ese mensaje no está en la bandeja de salida.',
  'Enter the auth token again to change the API address or the Account SID: the stored token is never sent to a new address or account without it.':
    'Vuelve a introducir el token de autenticación para cambiar la dirección de la API o el Account SID: el token guardado nunca se envía a otra dirección o cuenta sin él.',
  'Give a From number or a Messaging Service SID, not both.':
    'Indica un número remitente o un Messaging Service SID, no ambos.',
  'Twilio needs the Account SID.': 'Twilio necesita el Account SID.',
  'Twilio needs a From number or a Messaging Service SID.':
    'Twilio necesita un número remitente o un Messaging Service SID.',
  'Twilio needs the auth token.': 'Twilio necesita el token de autenticación.',
  // core/two-factor.ts
  'Two-factor authentication is already on. Reset it to enroll a new device.':
    'La verificación en dos pasos ya está activada. Restablécela para registrar un dispositivo nuevo.',
  'No enrollment is waiting for a code (or it expired). Start again.':
    'Ninguna configuración espera un código (o caducó). Empieza de nuevo.',
  'The code is not correct. Check the time on your phone and enter the current code.':
    'El código no es correcto. Comprueba la hora de tu teléfono e introduce el código actual.',
  'This enrollment was already completed.': 'Esta configuración ya se completó.',
  'Two-factor authentication is not set up for this account.':
    'La verificación en dos pasos no está configurada en esta cuenta.',
  'All your backup codes are used. Sign in with your authenticator app and reset two-factor authentication to get new ones, or ask an administrator.':
    'Ya usaste todos tus códigos de respaldo. Inicia sesión con tu app de autenticación y restablece la verificación en dos pasos para obtener otros nuevos, o pregunta a un administrador.',
  'This code was already used. Wait for the next code in your authenticator app.':
    'Este código ya se usó. Espera al siguiente código de tu app de autenticación.',
  'This backup code is not correct or was already used.':
    'Este código de respaldo no es correcto o ya se usó.',
  'Turn on two-factor authentication first.': 'Activa primero la verificación en dos pasos.',
  // core/user-import.ts
  'There is no such import in progress (it finished, or Tessera restarted). Import the same file again to finish it: the users already imported are skipped, and their codes not delivered yet are included.':
    'No hay ninguna importación en curso con ese número (terminó o Tessera se reinició). Vuelve a importar el mismo archivo para terminarla: se omiten los usuarios ya importados y se incluyen sus códigos aún no entregados.',
  'There is no such import.': 'No existe esa importación.',
  // core/users.ts
  'This page cursor is not valid; start from the first page.':
    'Este cursor de página no es válido; empieza por la primera página.',
  'No user has the email {0}.': 'Ningún usuario tiene el correo {0}.',
  'There is no such user.': 'No existe ese usuario.',
  'A user with the email {0} already exists.': 'Ya existe un usuario con el correo {0}.',
  'This user has already activated the account.': 'Este usuario ya activó su cuenta.',
  'The email or invitation code is not correct, or the invitation was already used.':
    'El correo o el código de invitación no son correctos, o la invitación ya se usó.',
  'This invitation has expired. Ask your administrator to send a new one.':
    'Esta invitación caducó. Pide a tu administrador que te envíe una nueva.',
  'Tessera needs at least one active owner: make someone else an owner first.':
    'Tessera necesita al menos un propietario activo: haz propietario a otra persona primero.',
  'You cannot disable your own account.': 'No puedes desactivar tu propia cuenta.',
  'You cannot delete your own account.': 'No puedes eliminar tu propia cuenta.',
  // db/connection.ts
  'No database at {0}.': 'No hay ninguna base de datos en {0}.',
  '{0} is empty: it is not a Tessera database.': '{0} está vacío: no es una base de datos de Tessera.',
  '{0} is an unencrypted SQLite database, not a Tessera database.':
    '{0} es una base de datos SQLite sin cifrar, no una base de datos de Tessera.',
  '{0} cannot be opened: {1}': 'No se puede abrir {0}: {1}',
  '{0} does not decrypt with its own key: the file is damaged or is not the database its key file belongs to ({1}).':
    '{0} no se descifra con su propia clave: el archivo está dañado o no es la base de datos a la que pertenece su archivo de clave ({1}).',
  '{0} is an SQLite database but not a Tessera database.':
    '{0} es una base de datos SQLite, pero no de Tessera.',
  '{0} was written by a newer version of Tessera (schema {1}); this version understands schema {2} at most. Update Tessera to open it.':
    '{0} la escribió una versión más reciente de Tessera (esquema {1}); esta versión entiende como máximo el esquema {2}. Actualiza Tessera para abrirla.',
  '{0} cannot be written: {1} is read-only{2}. Tessera writes to the file and, for its journal, to its folder: make them writable, then open it again.':
    'No se puede escribir en {0}: {1} es de solo lectura{2}. Tessera escribe en el archivo y, para su diario, en su carpeta: permite escribir en ellos y vuelve a abrirla.',
  // db/errors.ts
  'The disk that holds the database is full: nothing of this action was saved. Free some space, then try again.':
    'El disco de la base de datos está lleno: no se guardó nada de esta acción. Libera espacio y vuelve a intentarlo.',
  'The database cannot be written (its file, its folder or its disk became read-only): nothing of this action was saved. Make it writable again, then try again.':
    'No se puede escribir en la base de datos (su archivo, su carpeta o su disco pasó a ser de solo lectura): no se guardó nada de esta acción. Vuelve a permitir la escritura y vuelve a intentarlo.',
  'The disk refused to write the database (an I/O error): nothing of this action was saved. Check the disk, then try again.':
    'El disco rechazó escribir la base de datos (un error de E/S): no se guardó nada de esta acción. Revisa el disco y vuelve a intentarlo.',
  // db/keyinfo.ts
  '{0} has no key information file ({1}); it is not a Tessera database, or that file was lost.':
    '{0} no tiene archivo de información de clave ({1}); no es una base de datos de Tessera o ese archivo se perdió.',
  'The key information file {0} is not valid JSON.':
    'El archivo de información de clave {0} no es JSON válido.',
  'The key information file {0} is damaged or from another program.':
    'El archivo de información de clave {0} está dañado o es de otro programa.',
  // db/open.ts
  '{0}. Start a keyring (Secret Service on a D-Bus session), or use a passphrase-protected database.':
    '{0}. Inicia un llavero (Secret Service en una sesión de D-Bus) o usa una base de datos protegida con frase de contraseña.',
  'This database is protected by a passphrase: set TESSERA_DB_PASSPHRASE or type it when asked.':
    'Esta base de datos está protegida con una frase de contraseña: define TESSERA_DB_PASSPHRASE o escríbela cuando se te pida.',
  'The key of this database is not in the keychain (service "Tessera", account {0}), or the keyring is locked.':
    'La clave de esta base de datos no está en el llavero (servicio "Tessera", cuenta {0}), o el llavero está bloqueado.',
  'The key stored in the keychain does not open this database.':
    'La clave guardada en el llavero no abre esta base de datos.',
  'The key information file lacks its KDF parameters.':
    'Al archivo de información de clave le faltan sus parámetros de KDF.',
  'The passphrase is wrong: it does not open this database.':
    'La frase de contraseña no es correcta: no abre esta base de datos.',
  'No Tessera database at {0}. Create one with "tessera init".':
    'No hay ninguna base de datos de Tessera en {0}. Crea una con "tessera init".',
  'A database already exists at {0}; nothing was changed.':
    'Ya existe una base de datos en {0}; no se cambió nada.',
  'A passphrase is needed to create this database.':
    'Se necesita una frase de contraseña para crear esta base de datos.',
  // db/postgres/open.ts
  'Cannot reach PostgreSQL at {0}: {1}. Is the server running, and is the address right?':
    'No se puede contactar con PostgreSQL en {0}: {1}. ¿Está en marcha el servidor y es correcta la dirección?',
  'PostgreSQL at {0} did not answer in time.': 'PostgreSQL en {0} no respondió a tiempo.',
  "PostgreSQL at {0} accepts only encrypted connections: add ?sslmode=verify-full to the URL (with &sslrootcert=FILE naming its certificate authority when the server's certificate is self-signed).":
    'PostgreSQL en {0} solo acepta conexiones cifradas: añade ?sslmode=verify-full a la URL (con &sslrootcert=FILE indicando su autoridad de certificación si el certificado del servidor es autofirmado).',
  'PostgreSQL at {0} refused the user name or password (given in the URL, PGPASSWORD or ~/.pgpass).':
    'PostgreSQL en {0} rechazó el usuario o la contraseña (indicados en la URL, PGPASSWORD o ~/.pgpass).',
  'The URL asks for TLS but PostgreSQL at {0} does not offer it: use sslmode=disable only on a trusted network.':
    'La URL pide TLS, pero PostgreSQL en {0} no lo ofrece: usa sslmode=disable solo en una red de confianza.',
  'PostgreSQL at {0} refused the connection: {1}': 'PostgreSQL en {0} rechazó la conexión: {1}',
  'The database in {0} does not exist on that server: create it first (createdb), then run tessera init --database-url.':
    'La base de datos de {0} no existe en ese servidor: créala primero (createdb) y luego ejecuta tessera init --database-url.',
  'Cannot use PostgreSQL at {0}: {1}': 'No se puede usar PostgreSQL en {0}: {1}',
  'The database at {0} is empty: create the team database with "tessera init --database-url".':
    'La base de datos de {0} está vacía: crea la base de datos del equipo con "tessera init --database-url".',
  "The database at {0} holds other tables but not Tessera's: it is not a Tessera team database.":
    'La base de datos de {0} tiene otras tablas, pero no las de Tessera: no es una base de datos de equipo de Tessera.',
  'The team database was written by a newer version of Tessera (schema {0}); this version understands schema {1} at most. Update Tessera on this machine.':
    'La base de datos del equipo la escribió una versión más reciente de Tessera (esquema {0}); esta versión entiende como máximo el esquema {1}. Actualiza Tessera en este equipo.',
  'The team database is at schema {0}, which this version cannot upgrade (it expects {1}).':
    'La base de datos del equipo está en el esquema {0}, que esta versión no puede actualizar (espera el {1}).',
  'The team database lacks its team key information.':
    'A la base de datos del equipo le falta la información de su clave de equipo.',
  'This machine does not hold the team key yet: give the team passphrase (TESSERA_TEAM_PASSPHRASE, or type it when asked).':
    'Este equipo aún no tiene la clave del equipo: da la frase de contraseña del equipo (TESSERA_TEAM_PASSPHRASE, o escríbela cuando se te pida).',
  'The team passphrase is wrong: it does not open the team key.':
    'La frase de contraseña del equipo no es correcta: no abre la clave del equipo.',
  'A Tessera team database already exists at {0}; nothing was changed.':
    'Ya existe una base de datos de equipo de Tessera en {0}; no se cambió nada.',
  'The database at {0} already holds tables ({1}{2}): give Tessera an empty database of its own.':
    'La base de datos de {0} ya tiene tablas ({1}{2}): dale a Tessera una base de datos vacía solo para ella.',
  // ipc/gate.ts, ipc/handlers.ts, ipc/register.ts
  'Unknown method.': 'Método desconocido.',
  'Invalid input.': 'Datos no válidos.',
  'Sign in first.': 'Inicia sesión primero.',
  'Enter the code from your authenticator app first.':
    'Introduce primero el código de tu app de autenticación.',
  'Set up two-factor authentication first.': 'Configura primero la verificación en dos pasos.',
  'The console is locked. Unlock it with your password.':
    'La consola está bloqueada. Desbloquéala con tu contraseña.',
  'The team database cannot be reached right now; Tessera is reconnecting. Nothing of this action was saved: try again in a moment.':
    'Ahora mismo no se puede contactar con la base de datos del equipo; Tessera se está reconectando. No se guardó nada de esta acción: vuelve a intentarlo en un momento.',
  'Something went wrong. The details are in the application log.':
    'Algo salió mal. Los detalles están en el registro de la aplicación.',
  'Enter your email and password first.': 'Introduce primero tu correo y tu contraseña.',
  'No login is waiting for a code.': 'Ningún inicio de sesión espera un código.',
  'Enter your password to continue.': 'Introduce tu contraseña para continuar.',
  'Enter your password and the code from your authenticator app to create new backup codes.':
    'Introduce tu contraseña y el código de tu app de autenticación para crear códigos de respaldo nuevos.',
  'The console is not locked.': 'La consola no está bloqueada.',
  'This page may not call Tessera.': 'Esta página no puede llamar a Tessera.',
  // shared/access.ts (the access rules' reasons)
  'Only an owner can {0} an owner.': 'Solo un propietario puede {0} un propietario.',
  "Only someone of {0} {1}'s rank or above can {2} {3} {4}.":
    'Solo alguien con rango de {1} o superior puede {2} un {4}.',
  'Only an owner can make an owner.': 'Solo un propietario puede nombrar a otro propietario.',
  'You cannot give a role above your own.': 'No puedes dar un rol superior al tuyo.',
  'Nobody may work on a recovery request about their own account.':
    'Nadie puede trabajar en una solicitud de recuperación sobre su propia cuenta.',
  "Only an owner can work on an owner's recovery request.":
    'Solo un propietario puede trabajar en la solicitud de recuperación de un propietario.',
  "Only an {0} can work on {1} {2}'s recovery request.":
    'Solo un {0} puede trabajar en la solicitud de recuperación de un {2}.',
  'You already approved this request. A second agent must approve it for an admin or owner account.':
    'Ya aprobaste esta solicitud. Para una cuenta de administrador o propietario, debe aprobarla un segundo agente.',
  "Your account was created, invited or activated in the last 7 days: it cannot approve the removal of an admin's or owner's second factor yet.":
    'Tu cuenta se creó, se invitó o se activó en los últimos 7 días: aún no puede aprobar que se quite el segundo factor de un administrador o propietario.',
  'Your account was created by the other approver: a second approver must be independent of the first.':
    'Tu cuenta la creó el otro aprobador: un segundo aprobador debe ser independiente del primero.',
  "You created the other approver's account: a second approver must be independent of the first.":
    'Creaste la cuenta del otro aprobador: un segundo aprobador debe ser independiente del primero.',
  // shared/contract (zod messages)
  'The start of the range must come before its end.': 'El inicio del intervalo debe ser anterior a su fin.',
  'a SHA-256 hash: 64 lowercase hex digits': 'un hash SHA-256: 64 dígitos hexadecimales en minúscula',
  'Enter the invitation code you were given': 'Introduce el código de invitación que te dieron',
  'At most 2,000 characters': 'Como máximo 2.000 caracteres',
  'Tell support in a few words what happened (at least 10 characters)':
    'Cuenta a soporte en pocas palabras qué ha pasado (al menos 10 caracteres)',
  'At most 200 characters': 'Como máximo 200 caracteres',
  'Say how support can reach you (a phone number, a desk, a colleague)':
    'Indica cómo puede contactarte soporte (un teléfono, un puesto, un compañero)',
  'Enter the temporary access code support gave you':
    'Introduce el código de acceso temporal que te dio soporte',
  'An email address has at most 254 characters': 'Una dirección de correo tiene como máximo 254 caracteres',
  'Enter an email address': 'Introduce una dirección de correo',
  'Enter a valid email address': 'Introduce una dirección de correo válida',
  'A name has at most 120 characters': 'Un nombre tiene como máximo 120 caracteres',
  'Enter a name': 'Introduce un nombre',
  'Enter your password': 'Introduce tu contraseña',
  'Enter a host name or an IP address': 'Introduce un nombre de host o una dirección IP',
  'Enter the SMTP server name': 'Introduce el nombre del servidor SMTP',
  'Enter an email address, or a name and an address: Acme IT <it@acme.example>':
    'Introduce una dirección de correo, o un nombre y una dirección: Acme IT <it@acme.example>',
  'The two new passwords are not the same': 'Las dos contraseñas nuevas no coinciden',
  'Enter the reset code from the email': 'Introduce el código de restablecimiento del correo',
  'Enter the 6-digit code sent to your phone': 'Introduce el código de 6 dígitos enviado a tu teléfono',
  'Enter a phone number': 'Introduce un número de teléfono',
  'Confirm that this is not the phone with your authenticator app':
    'Confirma que este no es el teléfono con tu app de autenticación',
  'Choose a language or a theme.': 'Elige un idioma o un tema.',
  'Write a note': 'Escribe una nota',
  'Record at least one identity check or a note':
    'Registra al menos una comprobación de identidad o una nota',
  'At most 500 characters': 'Como máximo 500 caracteres',
  'Say why the request is denied': 'Indica por qué se deniega la solicitud',
  'A passphrase has at most 1024 characters': 'Una frase de contraseña tiene como máximo 1024 caracteres',
  'Use a passphrase of at least {0} characters': 'Usa una frase de contraseña de al menos {0} caracteres',
  'Give the team database as postgres://user:password@host:5432/database':
    'Indica la base de datos del equipo como postgres://usuario:contraseña@host:5432/base_de_datos',
  'Enter a database passphrase': 'Introduce una frase de contraseña para la base de datos',
  'Enter the team passphrase': 'Introduce la frase de contraseña del equipo',
  'An Account SID is AC followed by 32 hexadecimal digits':
    'Un Account SID es AC seguido de 32 dígitos hexadecimales',
  'A Messaging Service SID is MG followed by 32 hexadecimal digits':
    'Un Messaging Service SID es MG seguido de 32 dígitos hexadecimales',
  'Use an https:// address: plain http:// is accepted only for this machine (localhost, 127.0.0.1, [::1])':
    'Usa una dirección https://: http:// sin cifrar solo se acepta para este equipo (localhost, 127.0.0.1, [::1])',
  'Enter an https:// URL, without a query': 'Introduce una URL https://, sin parámetros de consulta',
  'Enter the 6-digit code from your authenticator app':
    'Introduce el código de 6 dígitos de tu app de autenticación',
  'Enter a backup code like 7KQ2M-XD94P': 'Introduce un código de respaldo como 7KQ2M-XD94P',
  'The file is larger than 20 MB': 'El archivo ocupa más de 20 MB',
  'The file is empty': 'El archivo está vacío',
  // A bulk action's reasons to leave someone alone, and why a run stopped (core/bulk.ts).
  '2FA is already required': 'Ya se le exige la verificación en dos pasos',
  '2FA is not required': 'No se le exige la verificación en dos pasos',
  'Already activated the account': 'Ya activó su cuenta',
  'Has no 2FA set up': 'No tiene configurada la verificación en dos pasos',
  'You cannot disable your own account': 'No puedes desactivar tu propia cuenta',
  'Already disabled': 'Ya está desactivada',
  "An admin's or owner's 2FA is reset only with two approvers: reset it from their page":
    'La verificación en dos pasos de un administrador o propietario solo se restablece con dos aprobaciones: restablécela desde su página',
  'No such user': 'No existe ese usuario',
  'The action stopped before the end: run it again for the rest.':
    'La acción se detuvo antes del final: vuelve a ejecutarla para el resto.',
  'Could not be changed: try again.': 'No se pudo cambiar: vuelve a intentarlo.',
  // The lines of an imported file (core/import-check.ts, core/csv.ts, core/user-import.ts).
  'a quoted field is not closed': 'un campo entre comillas no se cierra',
  'text after a closing quote (a quote inside a field must be doubled)':
    'hay texto después de una comilla de cierre (una comilla dentro de un campo debe ir doble)',
  'a quote inside an unquoted field (quote the whole field)':
    'hay una comilla en un campo sin comillas (pon todo el campo entre comillas)',
  'Invalid value': 'Valor no válido',
  'The file is empty: it needs the header {0}': 'El archivo está vacío: necesita la cabecera {0}',
  'The first line must be the header {0} (require_2fa may be left out)':
    'La primera línea debe ser la cabecera {0} (require_2fa puede faltar)',
  'The first line must be the header {0} (require_2fa may be left out); unknown column {1}':
    'La primera línea debe ser la cabecera {0} (require_2fa puede faltar); columna desconocida: {1}',
  'The first line must be the header {0} (require_2fa may be left out); missing {1}':
    'La primera línea debe ser la cabecera {0} (require_2fa puede faltar); falta {1}',
  'The first line must be the header {0} (require_2fa may be left out); unknown column {1}; missing {2}':
    'La primera línea debe ser la cabecera {0} (require_2fa puede faltar); columna desconocida: {1}; falta {2}',
  'At most {0} users per file: split it': 'Como máximo {0} usuarios por archivo: divídelo',
  'Expected {0} columns, found {1}': 'Se esperaban {0} columnas y hay {1}',
  '{0} is already on line {1} of this file': '{0} ya está en la línea {1} de este archivo',
  'A user with the email {0} already exists, with a different {1}':
    'Ya existe un usuario con el correo {0}, con otro valor en {1}',
  'The file has a header but no users': 'El archivo tiene cabecera pero ningún usuario',
  'A user with the email {0} was created during the import; skipped':
    'Se creó un usuario con el correo {0} durante la importación; se omite',
  'Use true/false, yes/no, 1/0, or leave it empty for the policy default':
    'Usa true/false, yes/no, 1/0, o déjalo vacío para usar el valor de la política',
}

/**
 * The words a message fills in from a closed set (a role, a request's status, what an action does):
 * put into a Spanish sentence in place of the English word.
 */
export const esValues: Readonly<Record<string, string>> = {
  // Roles, as the access rules name them (lower case).
  owner: 'propietario',
  administrator: 'administrador',
  'support agent': 'agente de soporte',
  member: 'miembro',
  'admin or owner': 'administrador o propietario',
  'agent of the same rank or above': 'agente del mismo rango o superior',
  // What may be done to a person (shared/access.ts verbs), each with what links it to "un <rol>".
  create: 'crear a',
  'send a new invitation to': 'enviar una nueva invitación a',
  'change the 2FA requirement of': 'cambiar la exigencia de verificación en dos pasos de',
  'reset the 2FA of': 'restablecer la verificación en dos pasos de',
  'reset the password of': 'restablecer la contraseña de',
  unlock: 'desbloquear a',
  disable: 'desactivar a',
  enable: 'activar a',
  delete: 'eliminar a',
  'change the role of': 'cambiar el rol de',
  // What may be done to a recovery request ("you cannot … it").
  approve: 'aprobarla',
  deny: 'denegarla',
  'record checks on': 'registrar comprobaciones en ella',
  'issue a code for': 'emitir un código para ella',
  // A recovery request's status.
  open: 'abierta',
  verifying: 'en verificación',
  approved: 'aprobada',
  denied: 'denegada',
  completed: 'completada',
  expired: 'caducada',
  // The SMS and email caps.
  'to this number in an hour': 'a este número en una hora',
  'to this number in a day': 'a este número en un día',
  'for this person in an hour': 'para esta persona en una hora',
  'for this person in a day': 'para esta persona en un día',
  'to this person in an hour': 'a esta persona en una hora',
  'in all in an hour': 'en total en una hora',
  'in all in a day': 'en total en un día',
  // What a provider's secret is.
  'Twilio auth token': 'token de autenticación de Twilio',
  'SMTP password': 'contraseña SMTP',
}
