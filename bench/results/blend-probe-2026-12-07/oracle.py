# Usage: DATA_DIR=... python3 oracle.py 1  (every family and pair blend scored on the TEST split: an upper bound, not a choice)
import sys,time, itertools
from data import *; from models import *
fold=int(sys.argv[1])
train,test=ml(fold); ui,ii=index(train); X=matrix(train,ui,ii)
rel={}
for u,i in test: rel.setdefault(u,set()).add(i)
def z(S):
    S=S.copy(); S[X>0]=np.nan
    m=np.nanmean(S,1,keepdims=True); s=np.nanstd(S,1,keepdims=True)+1e-12
    return np.nan_to_num((S-m)/s,nan=-1e9)
M={}
M['als']=als(X,64,0.162,1,10,True)
for l in [300,1000,2000]: M[f'uease{l}']=user_ease(X,l)
for l in [200,500,1000]: M[f'ease{l}']=ease(X,l)
M['dlae']=dlae(X,150,0.5)
pop=(X>0).sum(0); M['pop']=np.tile(np.log1p(pop),(X.shape[0],1))
for k,S in M.items(): print(k, round(recall(S,X,rel,ui,ii),4),flush=True)
Z={k:z(S) for k,S in M.items()}
for a,b in itertools.combinations(['als','uease1000','ease500','dlae'],2):
    print(a,b,[round(recall(w*Z[a]+(1-w)*Z[b],X,rel,ui,ii),4) for w in (0.3,0.5,0.7)],flush=True)
for w in [(1,1,1),(2,1,1),(1,1,2)]:
    print('3way',w,round(recall(w[0]*Z['als']+w[1]*Z['uease1000']+w[2]*Z['dlae'],X,rel,ui,ii),4))
