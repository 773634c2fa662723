// The .topo language (docs/language.md). Compiled by the ANTLR tool at build
// time into topoc::parse::gen (compiler/CMakeLists.txt). Only compiler/parse/
// sees the generated classes.
grammar Topo;

file          : decl* EOF ;
decl          : importDecl | templateDecl | topologyDecl ;

importDecl    : 'import' STRING ';'? ;
templateDecl  : 'template' name '=' componentKind body? ;
topologyDecl  : 'topology' name '{' topologyItem* '}' ;
topologyItem  : configBlock | componentDecl ;

componentDecl : role=('spout' | 'bolt') name '=' componentKind body? ;

componentKind
    : 'python' STRING                               # pythonKind
    | 'shell' '[' (STRING (',' STRING)* ','?)? ']'  # shellKind
    | 'java' STRING javaArgs?                       # javaKind
    | name javaArgs?                                # templateKind
    ;

javaArgs      : '(' (javaArg (',' javaArg)* ','?)? ')' ;
javaArg       : STRING | INT | LONG | FLOAT | 'true' | 'false' ;

body          : '{' statement* '}' ;
statement
    : 'output' direct='direct'? name? fieldList ';'?            # outputStmt
    | 'input' source=name ('.' stream=name)? grouping ';'?      # inputStmt
    | 'parallelism' INT ';'?                                    # parallelismStmt
    | 'tasks' INT ';'?                                          # tasksStmt
    | configBlock                                               # configStmt
    ;

fieldList     : '(' (name (',' name)* ','?)? ')' ;

grouping
    : 'shuffle'                         # shuffleGrouping
    | 'fields' fieldList                # fieldsGrouping
    | 'all'                             # allGrouping
    | 'global'                          # globalGrouping
    | 'none'                            # noneGrouping
    | 'direct'                          # directGrouping
    | 'local-or-shuffle'                # localOrShuffleGrouping
    | 'partial-key' fieldList           # partialKeyGrouping
    | 'custom' STRING javaArgs?         # customGrouping
    ;

configBlock   : 'config' '{' (configEntry (',' | ';')?)* '}' ;
configEntry   : configKey ':' value ;
configKey     : STRING | keyPart ('.' keyPart)* ;
keyPart       : ID | INT | keyword ;

value
    : STRING                                        # stringValue
    | INT                                           # intValue
    | FLOAT                                         # floatValue
    | ('true' | 'false')                            # boolValue
    | 'null'                                        # nullValue
    | '[' (value (',' value)* ','?)? ']'            # listValue
    | '{' (mapEntry (',' mapEntry)* ','?)? '}'      # mapValue
    ;
mapEntry      : configKey ':' value ;

// Keywords are contextual: wherever an id belongs, a keyword is an id
// (`bolt custom = ...`, `input all all`). Where both readings fit, the
// keyword's wins (`output direct (x)` declares a direct default stream;
// `output direct direct (x)` a direct stream named direct), and
// `python`/`java` followed by a string, or `shell` followed by `[`, is that
// kind rather than a template of that name.
name          : ID | STRING | keyword ;

// The language's words: ids where an id belongs, and parts of config keys
// (topology.workers).
keyword
    : 'import' | 'template' | 'topology' | 'spout' | 'bolt' | 'python' | 'shell'
    | 'java' | 'output' | 'direct' | 'input' | 'parallelism' | 'tasks' | 'config'
    | 'shuffle' | 'fields' | 'all' | 'global' | 'none' | 'local-or-shuffle'
    | 'partial-key' | 'custom' | 'true' | 'false' | 'null'
    ;

ID            : [a-zA-Z_] [a-zA-Z0-9_\-]* ;
LONG          : '-'? [0-9]+ [lL] ;
FLOAT         : '-'? [0-9]+ '.' [0-9]+ EXPONENT? | '-'? [0-9]+ EXPONENT ;
INT           : '-'? [0-9]+ ;
fragment EXPONENT : [eE] [+\-]? [0-9]+ ;

// An unterminated string still lexes as STRING (to end of line) so the
// parser recovers; compiler/parse/ reports it.
STRING        : '"' (ESCAPE | ~["\\\r\n])* ('"' | '\\')? ;
fragment ESCAPE : '\\' ~[\r\n] ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
// Unterminated block comments run to the end of the file; reported by
// compiler/parse/.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> skip ;
// Anything else: reported by compiler/parse/ as an unexpected character.
BAD_CHAR      : . -> channel(HIDDEN) ;
